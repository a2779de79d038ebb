"""What the CLI and the TUI call: create and open projects, import, export, the demo, statistics.

This layer reads files (``annotator.io``), tokenises (``annotator.nlp``), computes agreement
(``annotator.agreement``) and hands ``annotator.storage`` finished rows; those four packages do
not know each other.
"""
