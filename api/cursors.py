"""The API's list cursors, one codec for every list (cases, referrals, leads, FHIR searches).

Opaque to callers: base64 of "v1:<int>:<int>...". Bounded (a cursor longer than CURSOR_MAX is not
one of ours) and strictly parsed, so no text a caller sends can reach a query unchecked.
"""

import base64
import binascii
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError

CURSOR_MAX = 80
_INT_MAX = 2**63 - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# The latest instant a cursor may name: datetime's own limit, so the arithmetic cannot overflow.
_MICROS_MAX = (datetime(9999, 12, 31, tzinfo=UTC) - _EPOCH) // _MICROSECOND


def _problem() -> ValidationError:
    return ValidationError(
        {"cursor": "Not a cursor this API gave: send next_cursor from the previous answer."},
        code="invalid",
    )


def encode_cursor(*parts: int) -> str:
    text = "v1:" + ":".join(str(part) for part in parts)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, parts: int) -> tuple[int, ...]:
    """The integers a cursor of ours holds; a ValidationError naming `cursor` otherwise."""
    if len(cursor) > CURSOR_MAX or not cursor.isascii():
        raise _problem()
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _problem() from None
    version, _, rest = text.partition(":")
    values = rest.split(":")
    if version != "v1" or len(values) != parts or not all(v.isdigit() for v in values):
        raise _problem()
    numbers = tuple(int(v) for v in values)
    if any(n > _INT_MAX for n in numbers):
        raise _problem()
    return numbers


def encode_instant_cursor(at: datetime, pk: int) -> str:
    """A cursor after (instant, id): for lists ordered by a time, then the id."""
    return encode_cursor((at - _EPOCH) // _MICROSECOND, pk)


def decode_instant_cursor(cursor: str) -> tuple[datetime, int]:
    micros, pk = decode_cursor(cursor, 2)
    if micros > _MICROS_MAX:
        raise _problem()
    return _EPOCH + micros * _MICROSECOND, pk
