"""Benchmarks of annotator; run them all with ``python -m benchmarks``."""
