"""The dashboard's closed days, rolled up (issue 16, decision note 0020).

A year's figures read from the cases and their transition logs join 300,000–600,000 logs to
their cases (2.3–2.5 s at a million cases). What happened on a day that is over never changes (a
case's CSR and team are set when it is logged; logs are only ever added, stamped with the time
they are written), so each closed day's stays, decisions and flow are stored once, by the
scheduled `rollup_mco_dashboard`, in the rows of reports.models (DayStay, DayDecisions,
DayFlow); the dashboard reads the days up to `DashboardRollup.through` from them and the rest
(today, and any day the command has not reached yet) from the logs, with the same code as
before. The figures are the same either way (tests/reports/test_mco_dashboard_rollup.py reads
each both ways).
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.utils import timezone

from cases.models import Case

from ..models import DashboardRollup, DayDecisions, DayFlow, DayStay
from .decisions import decided_cases
from .flow import closing_logs, logged_cases, stays
from .scope import MONITOR_DECISIONS, VERDICTS, Scope, case_logs

# A day is rolled up this long after it ended: a transition that began before midnight has
# committed by then (the longest, a 10,000-row import, takes seconds), so no log of the day
# is still to come.
SETTLE = timedelta(minutes=15)
ROLLED_MODELS = (DayStay, DayDecisions, DayFlow)
MARK = 1  # the primary key of the one DashboardRollup row: two runs cannot both create one


def rolled_through() -> date | None:
    """The last day the rollup holds; None if nothing is rolled up, or the rollup was made in
    another time zone (its days are not this site's days)."""
    mark = DashboardRollup.objects.filter(pk=MARK).first()
    if mark is None or mark.time_zone != settings.TIME_ZONE:
        return None
    return mark.through


def with_rollup(scope: Scope) -> Scope:
    """`scope`, reading the days the rollup holds from it."""
    return replace(scope, rolled_through=rolled_through())


def last_closed_day(now=None) -> date:
    """The last day that may be rolled up at `now`: yesterday, once SETTLE has passed."""
    now = timezone.now() if now is None else now
    return timezone.localdate(now - SETTLE) - timedelta(days=1)


def days_behind(now=None) -> int:
    """Closed days the rollup does not hold yet (0: up to date). The dashboard reads them from
    the logs: the same figures, more slowly; an operator alerts on it (/metrics)."""
    through = rolled_through()
    if through is None:
        first = _first_day()
        if first is None:
            return 0
        through = first - timedelta(days=1)
    return max((last_closed_day(now) - through).days, 0)


def _first_day() -> date | None:
    """The day of the first transition log (a case's first log is the one that logs it)."""
    first = case_logs().aggregate(first=Min("timestamp"))["first"]
    return None if first is None else timezone.localdate(first)


def forget() -> None:
    """Drop the rollup, for a loader that writes days gone by (the demo, seed_scale): the
    dashboard reads every day from the logs until the next run rolls them up again."""
    with transaction.atomic():
        DashboardRollup.objects.all().delete()
        for model in ROLLED_MODELS:
            model.objects.all().delete()


def roll_up(
    *, through: date | None = None, rebuild: bool = False, progress: Callable | None = None
) -> int:
    """Roll up each closed day after the last rolled one, in order, up to `through` (default
    and at most: `last_closed_day()`), one transaction a day; `rebuild`: forget the rollup and
    start again from the first log. Returns the number of days rolled up. Safe to run at any
    time and to stop: a day is stored whole or not at all, and two runs take turns on the
    mark's lock."""
    last = last_closed_day() if through is None else min(through, last_closed_day())
    try:
        with transaction.atomic():
            mark = DashboardRollup.objects.select_for_update().filter(pk=MARK).first()
            if mark is not None and (rebuild or mark.time_zone != settings.TIME_ZONE):
                forget()
                mark = None
            if mark is None:
                first = _first_day()
                if first is None:
                    return 0  # nothing logged: no day is claimed, whatever is loaded later
                DashboardRollup.objects.create(
                    pk=MARK,
                    through=first - timedelta(days=1),
                    time_zone=settings.TIME_ZONE,
                    rolled_at=timezone.now(),
                )
    except IntegrityError:
        pass  # another run started the rollup meanwhile: the two take turns below
    rolled = 0
    while True:
        with transaction.atomic():
            mark = DashboardRollup.objects.select_for_update().get(pk=MARK)
            day = mark.through + timedelta(days=1)
            if day > last:
                return rolled
            _roll_up_day(day)
            mark.through = day
            mark.rolled_at = timezone.now()
            mark.save(update_fields=["through", "rolled_at"])
        rolled += 1
        if progress is not None:
            progress(day)


def _roll_up_day(day: date) -> None:
    """Store `day`'s stays, decisions and flow. No row of a day after the mark exists: a day's
    rows are stored in the transaction that moves the mark past it, and `forget` drops them
    all (deleting by day first scanned all 1.5 million stays, which no index leads by day:
    150 ms a day)."""
    scope = Scope(day, day, None, day)
    ended = stays(scope)
    closed = list(closing_logs(scope).values_list("object_id", flat=True))
    team_of = dict(
        Case.objects.filter(pk__in={row[3] for row in ended} | set(closed)).values_list(
            "pk", "team_id"
        )
    )
    DayStay.objects.bulk_create(
        [
            DayStay(
                day=day,
                team_id=team_of.get(case),
                state=state,
                seconds=(left - entered).total_seconds(),
            )
            for state, entered, left, case in ended
        ],
        batch_size=1000,
    )
    DayDecisions.objects.bulk_create(
        [
            DayDecisions(day=day, csr_id=csr, team_id=team, transition=transition, cases=n)
            for (csr, team, transition), n in decided_cases(
                scope, VERDICTS + MONITOR_DECISIONS
            ).items()
        ]
    )
    flow = defaultdict(lambda: [0, 0])
    for row in logged_cases(scope).values("team_id").annotate(n=Count("created_at")):
        flow[row["team_id"]][0] = row["n"]
    for team, n in Counter(team_of.get(case) for case in closed).items():
        flow[team][1] = n
    DayFlow.objects.bulk_create(
        [DayFlow(day=day, team_id=team, logged=n, closed=m) for team, (n, m) in flow.items()]
    )
