"""Our display formats (FORMAT_MODULE_PATH): the app's templates and the Django admin both format
dates and times through these names, so they show one format (issue 17)."""
