"""Business-day arithmetic: weekends and US federal holidays are not business days.

`subdiv` adds a state's own holidays to the federal ones (e.g. "MN" for the PAL contact SLA); the
default is the federal calendar only, which is what the MCO Manual Tracker's case ages use.
"""

from bisect import bisect_right
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
    # Counted, not walked day by day: exports age 100,000 cases at once and a 3-year-old case
    # took 2.85 ms a day-walk (issue 12). Weekdays first, then the weekday holidays between.
    weeks, extra = divmod((end - start).days, 7)
    weekday = start.weekday()
    count = weeks * 5 + sum(1 for k in range(1, extra + 1) if (weekday + k) % 7 < 5)
    for year in range(start.year, end.year + 1):
        days_off = _weekday_holidays(subdiv, year)
        count -= bisect_right(days_off, end) - bisect_right(days_off, start)
    return count


@lru_cache(maxsize=512)
def _weekday_holidays(subdiv: str | None, year: int) -> tuple[date, ...]:
    """The holidays of `year` that fall on a weekday (observed days included), sorted."""
    calendar = _calendar(subdiv)
    date(year, 1, 1) in calendar  # noqa: B015 — looking a day up fills in its year
    return tuple(sorted(day for day in calendar if day.year == year and day.weekday() < 5))


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
