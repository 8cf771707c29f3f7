"""Seeding a database at production scale (`manage.py seed_scale`, issue 12)."""
