"""Model fields that keep personal data out of the database in clear text
(docs/decisions/0001-field-encryption.md)."""

from django.core.exceptions import FieldError
from django.db import models

from . import crypto
from .redact import redact_ssns_in


def _refuse_lookup(field, name):
    raise FieldError(
        f"{field.model.__name__}.{field.name} is encrypted: it cannot be filtered on "
        f"(“{name}”) because every value is stored under a fresh random IV. Look it up through "
        "its blind index instead."
    )


class EncryptedCharField(models.CharField):
    """A CharField stored as a Fernet token (MultiFernet over FIELD_ENCRYPTION_KEYS).

    In Python the value is the clear text, so forms, validators and templates are unchanged;
    `max_length` bounds the clear text. The column is TEXT because a token is ~4× longer.
    Only `isnull` may be filtered on: an exact match needs a BlindIndexField beside it."""

    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return crypto.decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return crypto.encrypt_text(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        _refuse_lookup(self, lookup_name)

    def get_transform(self, lookup_name):
        _refuse_lookup(self, lookup_name)


class BlindIndexField(models.CharField):
    """Keyed HMAC-SHA256 of another field's clear value (BLIND_INDEX_KEY), filled on every save
    and bulk_create, indexed for exact lookup. Never a plain hash (see crypto.blind_index)."""

    def __init__(self, *args, source: str, purpose: str, **kwargs):
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        for key, default in (("max_length", 64), ("editable", False), ("blank", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        if kwargs.get("db_index") is True:
            kwargs.pop("db_index")
        else:
            kwargs["db_index"] = False
        return name, path, args, kwargs

    def index_of(self, value: str | None) -> str:
        return crypto.blind_index(value, purpose=self.purpose) if value else ""

    def pre_save(self, model_instance, add):
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class ClearSuffixField(models.CharField):
    """The last `length` digits of another (encrypted) field's clear value, kept in clear and
    filled on every save, bulk_create and seed_scale write: what a masked display (***-**-1234)
    needs, so showing it never decrypts (issue 12: the QC report decrypted every SSN only to
    mask it). Four digits of nine are what every masked page shows anyway."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 4)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 4), ("editable", False), ("blank", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def suffix_of(self, value: str | None) -> str:
        digits = "".join(c for c in value or "" if c.isdigit())
        return digits[-self.max_length :]

    def pre_save(self, model_instance, add):
        value = self.suffix_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class RedactedJSONField(models.JSONField):
    """A JSONField whose strings are stored with anything SSN-shaped masked (***-**-1234): for
    messages that quote what a user typed, such as an upload's problems."""

    def pre_save(self, model_instance, add):
        value = redact_ssns_in(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        # Marked as redacted, so get_prep_value does not walk it a second time (a 10,000-row
        # preview: 0.3 s a walk, issue 12 part 5).
        return value if value is None else _Redacted(value)

    def get_prep_value(self, value):
        if isinstance(value, _Redacted):
            return super().get_prep_value(value.value)
        # Also covers queryset.update(), which skips pre_save.
        return super().get_prep_value(redact_ssns_in(value))


class _Redacted:
    """A value RedactedJSONField.pre_save has redacted, on its way to the database."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value
