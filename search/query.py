"""What a search box query is: read once, into the keys each kind of record is looked up by.

People type identifiers with dashes, spaces and dots between the digit groups; the shape of the
digits says what they are: up to 8 plain digits a case number, 9 an SSN (never fewer: a partial
SSN finds nothing), 10 a phone number, 11 an MA number. `MCO-…` and `PAL-…` are record numbers.
Anything else is a name (or part of one), and anything with an @ an email address.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from tracker import limits
from tracker.phones import normalize_us_phone
from tracker.search_text import fold

NUMBERED = re.compile(r"(?i)(mco|pal)[\s-]*#?\s*(\d{1,12})")
# Digits and the separators people type between their groups, and nothing else.
DIGITS_ONLY = re.compile(r"[\d\s().+-]+")
CASE_NUMBER_MAX_DIGITS = 8


@dataclass(frozen=True)
class Query:
    text: str = ""  # folded, for names; "" when too short or not a name
    words: str = ""  # the name as typed (organization names are few: a plain icontains)
    case_id: int | None = None
    referral_id: int | None = None
    ssn: str = ""  # nine digits
    ma_number: str = ""  # eleven digits
    phone: str = ""  # 612-555-0199
    email: str = ""
    too_short: bool = False  # a name shorter than limits.SEARCH_NAME_MIN

    @property
    def is_record_number(self) -> bool:
        return self.case_id is not None or self.referral_id is not None

    @property
    def is_empty(self) -> bool:
        numbers = [self.case_id, self.referral_id]
        keys = [self.text, self.ssn, self.ma_number, self.phone, self.email]
        return all(n is None for n in numbers) and not any(keys)


def _clean(raw: str | None) -> str:
    """The query bounded, control characters as spaces: PostgreSQL refuses a NUL byte in any
    text parameter (a 500, found by the fuzz test), and none belongs in a name or a number."""
    text = (raw or "")[: limits.SEARCH_QUERY]
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


def masked(raw: str) -> str:
    """The query as it may be shown back or kept: an SSN only as ***-**-1234."""
    query = parse(raw)
    if query.ssn:
        return f"***-**-{query.ssn[-4:]}"
    return _clean(raw)


def parse(raw: str) -> Query:
    text = _clean(raw).strip()
    if not text:
        return Query()
    numbered = NUMBERED.fullmatch(text)
    if numbered:
        prefix, digits = numbered.group(1).lower(), int(numbered.group(2))
        return Query(**{"case_id" if prefix == "mco" else "referral_id": digits})
    if "@" in text:
        return Query(email=text)
    if DIGITS_ONLY.fullmatch(text):
        return _digits_query(text)
    folded = fold(text)
    if len(folded) < limits.SEARCH_NAME_MIN:
        return Query(too_short=True)
    return Query(text=folded, words=" ".join(text.split()))


def _digits_query(text: str) -> Query:
    digits = re.sub(r"\D", "", text)
    if text.isdigit() and 0 < len(digits) <= CASE_NUMBER_MAX_DIGITS and int(digits) > 0:
        return Query(case_id=int(digits))
    if len(digits) == 9:
        return Query(ssn=digits)
    keys = {}
    if len(digits) == 11:
        keys["ma_number"] = digits
    try:
        keys["phone"] = normalize_us_phone(text) if len(digits) in (10, 11) else ""
    except ValidationError:
        pass
    return Query(**keys)
