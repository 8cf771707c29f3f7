"""The MCO dashboard's rollup of closed days (reports/mco_dashboard/rollup.py): the figures are
the same whether a day is read from the rollup or from the logs, and the rollup holds each
closed day once, never a day that may still change."""

import io
from dataclasses import asdict, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Min
from django.utils import timezone

from cases.models import Case
from reports import mco_dashboard as board
from reports.models import DashboardRollup, DayDecisions, DayFlow, DayStay

pytestmark = pytest.mark.django_db

CENTRAL = ZoneInfo("America/Chicago")
TODAY = date(2026, 12, 3)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=CENTRAL)


def roll_up_through(day: date | None, **kwargs) -> date | None:
    """Roll up through `day` as the nightly run on TODAY would, and return how far it got."""
    with at(noon(TODAY)):
        board.roll_up(through=day, rebuild=True, **kwargs)
    return board.rolled_through()


def figures(scope) -> dict:
    page = asdict(board.dashboard(scope))
    page.pop("scope")
    return page


PERIODS = [
    (date(2026, 11, 2), date(2026, 11, 15)),  # one side of a rollup day or the other
    (date(2026, 11, 9), date(2026, 11, 9)),
    (date(2026, 11, 5), TODAY),  # the rolled days and today
    (date(2025, 12, 3), TODAY),  # a year: longer than flow.LOOKUP_UP_TO_DAYS
    (date(2026, 10, 1), date(2026, 10, 31)),  # wholly rolled up
]


@pytest.mark.parametrize("through", [date(2026, 10, 20), date(2026, 11, 9), date(2026, 12, 2)])
def test_every_figure_is_the_same_from_the_rollup_as_from_the_logs(busy_world, through):
    assert roll_up_through(through) == through
    alpha, beta = busy_world["teams"]
    for start, end in PERIODS:
        for teams in (None, (alpha,), (alpha, beta), ()):
            live = board.Scope(start, end, teams, TODAY)
            rolled = replace(live, rolled_through=through)
            assert figures(rolled) == figures(live), (start, end, teams)


def test_the_world_has_what_the_rollup_must_get_right(busy_world):
    """Guards the test above: the world holds stays, decisions and flow on both sides of a
    rollup day, in both teams and none."""
    roll_up_through(date(2026, 12, 2))
    assert DayStay.objects.filter(team=None).exists()
    assert DayStay.objects.values("team").distinct().count() == 3
    assert DayStay.objects.filter(seconds__lt=3600).exists()  # stays of minutes...
    assert DayStay.objects.filter(seconds__gt=7 * 86_400).exists()  # ... and of weeks
    transitions = set(DayDecisions.objects.values_list("transition", flat=True))
    assert transitions == {"vet_true", "vet_false", "mark_processed", "return_unprocessed"}
    assert DayFlow.objects.filter(closed__gt=0).exists()
    live = board.Scope(date(2026, 11, 9), TODAY, None, TODAY)
    assert sum(row.stays for row in board.time_in_state(live)) > 20


def test_it_rolls_up_a_day_only_once_it_has_settled(busy_world):
    just_after_midnight = datetime.combine(TODAY, time(0, 10), tzinfo=CENTRAL)
    with at(just_after_midnight):
        board.roll_up()
    # A transition begun before midnight may still be committing: yesterday waits.
    assert board.rolled_through() == TODAY - timedelta(days=2)
    with at(just_after_midnight + timedelta(minutes=10)):
        assert board.roll_up() == 1
    assert board.rolled_through() == TODAY - timedelta(days=1)
    with at(noon(TODAY)):
        assert board.roll_up(through=TODAY + timedelta(days=5)) == 0  # never today or later
    assert not DayStay.objects.filter(day__gte=TODAY).exists()


def rows() -> dict:
    return {
        model.__name__: sorted(
            (tuple(row.values()) for row in model.objects.values(*fields).order_by()), key=repr
        )
        for model, fields in (
            (DayStay, ["day", "team", "state", "seconds"]),
            (DayDecisions, ["day", "csr", "team", "transition", "cases"]),
            (DayFlow, ["day", "team", "logged", "closed"]),
        )
    }


def test_a_later_run_carries_on_where_the_last_one_stopped(busy_world):
    """The nightly run after a run stopped half way (or a night missed) holds what one whole
    run holds: no day twice, none left out."""
    stopped = []

    def stop_after_three_days(day):
        stopped.append(day)
        if len(stopped) == 3:
            raise KeyboardInterrupt

    with at(noon(TODAY)), pytest.raises(KeyboardInterrupt):
        board.roll_up(through=date(2026, 11, 9), progress=stop_after_three_days)
    first = timezone.localdate(Case.objects.aggregate(first=Min("created_at"))["first"])
    assert board.rolled_through() == first + timedelta(days=2)  # the third day was stored whole
    with at(noon(date(2026, 11, 20))):
        board.roll_up()
    with at(noon(TODAY)):
        board.roll_up()
        assert board.roll_up() == 0  # nothing left: a second run the same night does nothing
    carried_on = rows()
    assert roll_up_through(None) == TODAY - timedelta(days=1)
    assert rows() == carried_on
    assert DayStay.objects.count() > 0


def test_a_rollup_made_in_another_time_zone_is_not_read_and_is_made_again(busy_world, settings):
    roll_up_through(date(2026, 12, 2))
    settings.TIME_ZONE = "America/New_York"
    assert board.rolled_through() is None  # its days are not this site's days
    with at(noon(TODAY)):
        board.roll_up()
    mark = DashboardRollup.objects.get()
    assert (mark.time_zone, mark.through) == ("America/New_York", TODAY - timedelta(days=1))


def test_nothing_logged_yet_claims_no_day(log_case, capsys):
    with at(noon(TODAY)):
        assert board.roll_up() == 0
        call_command("rollup_mco_dashboard")
    assert "Nothing to roll up: no case has been logged yet." in capsys.readouterr().out
    assert board.rolled_through() is None
    # Cases loaded afterwards with their past (an import, the demo) are rolled up in full.
    with at(noon(TODAY - timedelta(days=9))):
        log_case()
    with at(noon(TODAY)):
        assert board.roll_up() == 9
    assert DayFlow.objects.get().day == TODAY - timedelta(days=9)


def test_loading_the_demo_forgets_a_rollup_its_backdated_cases_would_contradict(
    busy_world, settings
):
    settings.DEBUG = True  # the demo refuses to load otherwise
    roll_up_through(TODAY - timedelta(days=1))
    call_command("demo", stdout=io.StringIO())
    assert board.rolled_through() is None
    assert not DayStay.objects.exists()


def test_the_command_says_how_far_the_rollup_reaches(busy_world, capsys):
    with at(noon(TODAY)):
        call_command("rollup_mco_dashboard")
        call_command("rollup_mco_dashboard")
    out = capsys.readouterr().out
    first = timezone.localdate(Case.objects.aggregate(first=Min("created_at"))["first"])
    days = (TODAY - first).days
    assert f"Rolled up {days} day(s)" in out
    assert "Rolled up 0 day(s); the MCO dashboard reads the days through 2026-12-02" in out
