from datetime import date, timedelta

import pytest

from tracker.business_days import add_business_days, business_days_between, is_business_day


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),  # same day
        (date(2026, 11, 20), date(2026, 11, 23), 1),  # Friday -> Monday
        (date(2026, 11, 25), date(2026, 11, 30), 2),  # over Thanksgiving (Thu 11/26)
        (date(2026, 12, 24), date(2026, 12, 28), 1),  # over Christmas (Fri 12/25)
        (date(2026, 11, 30), date(2026, 11, 23), -4),
    ],
)
def test_it_counts_business_days_between(start, end, expected):
    assert business_days_between(start, end) == expected


def test_it_adds_business_days_forwards_and_backwards():
    assert add_business_days(date(2026, 11, 24), 2) == date(2026, 11, 27)  # skips Thanksgiving
    assert add_business_days(date(2026, 11, 30), -2) == date(2026, 11, 25)
    assert add_business_days(date(2026, 11, 28), 0) == date(2026, 11, 28)


def test_it_adds_state_holidays_to_the_federal_ones_only_when_asked():
    patriots_day = date(2026, 4, 20)  # a Massachusetts holiday, not a federal one
    assert is_business_day(patriots_day)
    assert not is_business_day(patriots_day, subdiv="MA")
    columbus_day = date(2026, 10, 12)  # federal; Minnesota's own calendar does not list it
    assert not is_business_day(columbus_day)
    assert not is_business_day(columbus_day, subdiv="MN")


def _walked(start, end, subdiv=None):
    """The definition, day by day: business days after `start` up to and including `end`."""
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        count += is_business_day(day, subdiv=subdiv)
        day += timedelta(days=1)
    return count


@pytest.mark.parametrize("subdiv", [None, "MN"])
def test_it_counts_business_days_like_walking_them_one_by_one(subdiv):
    first = date(2015, 12, 20)
    # Every start weekday, spans from 0 days to ~4 years, across New Year and observed days.
    for offset in range(0, 1500, 37):
        start = first + timedelta(days=offset)
        for length in (0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 30, 90, 365, 1100):
            end = start + timedelta(days=length)
            assert business_days_between(start, end, subdiv=subdiv) == _walked(
                start, end, subdiv
            ), (start, end)
