from datetime import date, timedelta

import pytest

from referrals.calendar import reporting_calendar

# The seed's "Reporting rhythm for OE5", date for date: (sent from, to, report sent, due back).
OE5 = [
    ("2017-11-01", "2017-11-15", "2017-11-22", "2017-11-29"),
    ("2017-11-16", "2017-11-29", "2017-12-06", "2017-12-13"),
    ("2017-11-30", "2017-12-13", "2017-12-20", "2017-12-27"),
    ("2017-12-14", "2017-12-27", "2018-01-03", "2018-01-10"),
    ("2017-12-28", "2018-01-10", "2018-01-17", "2018-01-24"),
]


def test_it_reproduces_the_oe5_calendar():
    periods = reporting_calendar(
        start=date(2017, 11, 1), first_end=date(2017, 11, 15), length=14, count=5
    )
    assert [
        tuple(d.isoformat() for d in (p.start, p.end, p.send_on, p.due_on)) for p in periods
    ] == OE5


def test_it_leaves_no_gaps_or_overlaps():
    periods = reporting_calendar(
        start=date(2026, 1, 1), first_end=date(2026, 1, 9), length=7, count=20
    )
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
        assert (after.end - after.start).days == 6


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"first_end": date(2017, 10, 31)}, "end on or after"),
        ({"length": 0}, "at least one day"),
        ({"count": 0}, "at least one period"),
    ],
)
def test_it_refuses_a_calendar_that_makes_no_sense(kwargs, message):
    args = {
        "start": date(2017, 11, 1),
        "first_end": date(2017, 11, 15),
        "length": 14,
        "count": 5,
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        reporting_calendar(**args)
