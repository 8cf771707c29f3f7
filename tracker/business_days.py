"""Business-day arithmetic: weekends and US federal holidays are not business days.

`subdiv` adds a state's own holidays to the federal ones (e.g. "MN" for the PAL contact SLA); the
default is the federal calendar only, which is what the MCO Manual Tracker's case ages use.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

COUNTRY = "US"


@lru_cache(maxsize=16)
def _calendar(subdiv: str | None) -> holidays.HolidayBase:
    # expand=True (the default) fills in each year the first time a date in it is looked up.
    federal = holidays.country_holidays(COUNTRY)
    if subdiv is None:
        return federal
    # A state's calendar alone drops some federal days (MN has no Columbus Day): use both.
    return federal + holidays.country_holidays(COUNTRY, subdiv=subdiv)


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def is_business_day(day: date | datetime, *, subdiv: str | None = None) -> bool:
    day = _as_date(day)
    return day.weekday() < 5 and day not in _calendar(subdiv)


def business_days_between(
    start: date | datetime, end: date | datetime, *, subdiv: str | None = None
) -> int:
    """Business days after `start` up to and including `end` (a case logged today is 0 days old,
    one logged on Friday is 1 day old on Monday). Negative when `end` is before `start`."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -business_days_between(end, start, subdiv=subdiv)
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_business_day(day, subdiv=subdiv):
            count += 1
        day += timedelta(days=1)
    return count


def add_business_days(start: date | datetime, n: int, *, subdiv: str | None = None) -> date:
    """The date `n` business days after `start` (before it when `n` is negative)."""
    day = _as_date(start)
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_business_day(day, subdiv=subdiv):
            remaining -= 1
    return day
