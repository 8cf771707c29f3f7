"""Business days: weekdays that are not US federal holidays (plus a state's, given `subdiv`).

Used for SLA clocks, e.g. the PAL rule "contact the consumer within two business days"
(subdiv="MN" adds Minnesota's holidays to the federal ones).
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int, subdiv: str | None) -> frozenset[date]:
    """Federal holidays, plus the state's when `subdiv` is given. The `holidays` package gives a
    state's own list (Minnesota's leaves out Columbus Day), so the two are joined."""
    federal = set(holidays.country_holidays("US", years=year))
    if subdiv:
        federal |= set(holidays.country_holidays("US", subdiv=subdiv, years=year))
    return frozenset(federal)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def is_business_day(day: date, *, subdiv: str | None = None) -> bool:
    day = _as_date(day)
    return day.weekday() < 5 and day not in _holidays(day.year, subdiv)


def add_business_days(start: date | datetime, n: int, *, subdiv: str | None = None) -> date:
    """The date `n` business days after `start` (n=0: `start` itself, even on a holiday)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = _as_date(start)
    while n > 0:
        day += timedelta(days=1)
        if is_business_day(day, subdiv=subdiv):
            n -= 1
    return day


def business_days_between(
    start: date | datetime, end: date | datetime, *, subdiv: str | None = None
) -> int:
    """Business days after `start` up to and including `end` (negative if `end` is earlier).

    `business_days_between(d, add_business_days(d, n)) == n` for every d and n >= 0.
    """
    start, end = _as_date(start), _as_date(end)
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day, subdiv=subdiv):
            count += 1
    return sign * count
