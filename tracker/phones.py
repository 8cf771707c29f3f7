"""US phone numbers: checked with Google's numbering-plan data (phonenumbers) and stored in one
format, 612-555-0199 (docs/decisions/0007-phone-numbers.md)."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models

from . import limits

REGION = "US"
MESSAGE = "Give a US phone number with its area code, like 612-555-0199."
# What people type around the digits. Anything else (letters, markup, "ext.") is refused
# before the number is parsed: phonenumbers itself skips some trailing text.
TYPED = re.compile(r"[0-9()+.\- ]+")
# The stored form. pre_save gives such a value back unchanged whether it parses or not, so it
# skips parsing it (0.4 ms a number; an import saves thousands of history rows).
STORED = re.compile(r"\d{3}-\d{3}-\d{4}")


def normalize_us_phone(value) -> str:
    """The number as 612-555-0199, or ValidationError if it is not a valid US number."""
    text = str(value or "").strip()
    if not text:
        return ""
    if len(text) > limits.PHONE or not TYPED.fullmatch(text):
        raise ValidationError(MESSAGE, code="invalid_phone")
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(MESSAGE, code="invalid_phone") from None
    if number.extension or not phonenumbers.is_valid_number_for_region(number, REGION):
        raise ValidationError(MESSAGE, code="invalid_phone")
    digits = f"{number.national_number:010d}"
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def tel_uri(phone: str) -> str:
    """A `tel:` link for a stored number (612-555-0199 -> tel:+1-612-555-0199), "" if none."""
    return f"tel:+1-{phone}" if phone else ""


def validate_us_phone(value) -> None:
    normalize_us_phone(value)


class UsPhoneField(models.CharField):
    """A CharField that only holds US numbers written 612-555-0199.

    full_clean (and so every ModelForm) refuses anything else and stores the normalised text;
    a save without full_clean still normalises what it can read.
    """

    default_validators = [validate_us_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", limits.PHONE)
        super().__init__(*args, **kwargs)

    # Not in to_python: CharField runs that for every query value and save too, where a
    # ValidationError would break a lookup or an update of an old row.
    def clean(self, value, model_instance):
        value = super().clean(value, model_instance)
        return normalize_us_phone(value) if value else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str) and STORED.fullmatch(value):
            return value
        try:
            value = normalize_us_phone(value)
        except ValidationError:
            return value
        setattr(model_instance, self.attname, value)
        return value
