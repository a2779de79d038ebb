"""The coding screen (Textual). Only ``annotator.cli.code`` imports this package's app."""
