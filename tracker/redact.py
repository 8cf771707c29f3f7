"""Mask anything shaped like an SSN in text we keep or log (upload problems, previews, log lines):
a user may paste an SSN into any cell, and error messages quote what they found there."""

import re

# 9 digits, optionally grouped 3-2-4 by a dash, dot or space — or by their URL-encoded forms
# (+, %20, %2D), as a search query in a logged URL has them — not part of a longer number (an MA
# number has 11 digits and is left alone).
_SEP = r"(?:[-. +]|%20|%2[dD])?"
SSN_SHAPED = re.compile(rf"(?<![\d])\d{{3}}{_SEP}\d{{2}}{_SEP}(\d{{4}})(?![\d])")


def redact_ssns(text: str) -> str:
    return SSN_SHAPED.sub(r"***-**-\1", text)


def redact_ssns_in(value):
    """`value` (JSON-like: dicts, lists, strings, numbers) with every string redacted."""
    if isinstance(value, str):
        return redact_ssns(value)
    if isinstance(value, list):
        return [redact_ssns_in(item) for item in value]
    if isinstance(value, dict):
        return {key: redact_ssns_in(item) for key, item in value.items()}
    return value
