"""Names as a search box compares them: lower case, accents stripped, spaces collapsed.

Kept in a column of its own beside each searchable name (filled on every save and by
`seed_scale`), so one plain `LIKE '%maria lo%'` finds "María López" on SQLite and PostgreSQL
alike, without the unaccent extension, and PostgreSQL can serve it from a trigram index
(tracker.search_migrations).
"""

import unicodedata

from django.db import models


def fold(text: str) -> str:
    """ "  María  LÓPEZ " -> "maria lopez". Combining marks go after NFKD; ß, æ, ø and other
    letters without a decomposition stay as they are (lower-cased)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


class FoldedTextField(models.CharField):
    """`fold()` of another field, recomputed on every save (and bulk_create): never typed."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = fold(getattr(model_instance, self.source))[: self.max_length]
        setattr(model_instance, self.attname, value)
        return value
