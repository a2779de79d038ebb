"""The project file: one SQLite database per project (schema in ``migrations``)."""
