"""The catalogue of community assets: the SQLite store and its migrations, the asset record and
its validation, the vocabulary, schedules, the bundled seed, and data-quality checks."""
