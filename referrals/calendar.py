"""The Preferred Assister Report calendar (seed: "Reporting rhythm for OE5").

A first period from `start` to `first_end`, then back-to-back periods of `length` days; each
report is sent a week after its period ends and is due back a week after that.
"""

from dataclasses import dataclass
from datetime import date, timedelta

SEND_AFTER = timedelta(days=7)
DUE_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    send_on: date
    due_on: date


def reporting_calendar(*, start: date, first_end: date, length: int, count: int) -> list[Period]:
    """Periods without gaps or overlaps: each starts the day after the previous one ends."""
    if first_end < start:
        raise ValueError("The first period must end on or after its start.")
    if length < 1:
        raise ValueError("A period must be at least one day long.")
    if count < 1:
        raise ValueError("Generate at least one period.")
    periods = []
    period_start, period_end = start, first_end
    for _ in range(count):
        send_on = period_end + SEND_AFTER
        periods.append(Period(period_start, period_end, send_on, send_on + DUE_AFTER))
        period_start = period_end + timedelta(days=1)
        period_end = period_start + timedelta(days=length - 1)
    return periods
