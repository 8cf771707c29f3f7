from datetime import date, datetime

import pytest

from tracker.business_days import add_business_days, business_days_between, is_business_day


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (date(2017, 11, 1), 2, date(2017, 11, 3)),  # Wed -> Fri
        (date(2017, 11, 2), 2, date(2017, 11, 6)),  # Thu -> Mon (weekend skipped)
        (date(2017, 11, 8), 2, date(2017, 11, 13)),  # Fri 11/10 Veterans Day (observed)
        (date(2017, 11, 22), 2, date(2017, 11, 27)),  # Thanksgiving 11/23
        (date(2017, 12, 22), 2, date(2017, 12, 27)),  # Christmas 12/25
        (date(2017, 11, 4), 0, date(2017, 11, 4)),
        (date(2017, 10, 6), 1, date(2017, 10, 10)),  # Columbus Day is federal, not Minnesotan
    ],
)
def test_it_adds_minnesota_business_days_skipping_weekends_and_holidays(start, n, expected):
    assert add_business_days(start, n, subdiv="MN") == expected


def test_it_accepts_naive_datetimes():
    assert add_business_days(datetime(2017, 11, 1, 16, 30), 2) == date(2017, 11, 3)


def test_it_knows_federal_and_minnesota_holidays():
    assert not is_business_day(date(2018, 1, 1))
    assert not is_business_day(date(2017, 11, 23), subdiv="MN")
    assert is_business_day(date(2017, 11, 21), subdiv="MN")


@pytest.mark.parametrize("n", range(0, 12))
def test_it_counts_what_it_adds_in_minnesota(n):
    start = date(2017, 11, 20)
    assert business_days_between(start, add_business_days(start, n, subdiv="MN"), subdiv="MN") == n


def test_it_counts_backwards_as_a_negative_number():
    assert business_days_between(date(2017, 11, 6), date(2017, 11, 2)) == -2
