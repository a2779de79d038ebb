"""Language processing: tokenising at import, keywords and code suggestions. Loaded lazily."""
