"""Format checks for the identifiers a CSR types while on the phone."""

import re

from django.core.exceptions import ValidationError

# ASCII digits only: `\d` alone also takes other scripts' digits (fullwidth １２３, Arabic-Indic
# ١٢٣), which would be stored as typed and never match a search or MMIS.
MA_NUMBER = re.compile(r"^\d{11}$", re.ASCII)
SSN_DIGITS = re.compile(r"^\d{9}$", re.ASCII)


def normalize_digits(value: str) -> str:
    """Drop the spaces and dashes people type between digit groups."""
    return re.sub(r"[\s-]", "", value or "")


def validate_ma_number(value: str) -> None:
    if not MA_NUMBER.match(normalize_digits(value)):
        raise ValidationError(
            "MA number must be 11 digits (for example 12345678901).", code="ma_format"
        )


def validate_ssn(value: str) -> None:
    """SSA rules: 9 digits; area not 000, 666 or 900-999; group not 00; serial not 0000."""
    digits = normalize_digits(value)
    if not SSN_DIGITS.match(digits):
        raise ValidationError("SSN must be 9 digits (for example 123-45-6789).", code="ssn_format")
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in {"000", "666"} or area.startswith("9"):
        raise ValidationError(
            "SSN cannot start with 000, 666 or 9 — please check the number.", code="ssn_area"
        )
    if group == "00":
        raise ValidationError(
            "SSN middle two digits cannot be 00 — please check the number.", code="ssn_group"
        )
    if serial == "0000":
        raise ValidationError(
            "SSN last four digits cannot be 0000 — please check the number.", code="ssn_serial"
        )


def mask_ssn(value: str) -> str:
    digits = normalize_digits(value)
    return f"***-**-{digits[-4:]}" if len(digits) >= 4 else "***-**-****"


def mask_ma_number(value: str) -> str:
    """Last four digits only, like the SSN mask: enough to match a case to a call, no more."""
    digits = normalize_digits(value)
    return f"*******{digits[-4:]}" if len(digits) >= 4 else "*" * 11


def format_ssn(value: str) -> str:
    # Stored SSNs are nine bare digits: no regular expression for them (an export formats
    # 170,000 of them).
    digits = value if len(value) == 9 and value.isdigit() else normalize_digits(value)
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if len(digits) == 9 else value
