"""The dashboard's figures over the period from the transition logs: weekly inflow and outflow,
time in each state."""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Window
from django.db.models.functions import Lead, TruncWeek
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases.states import DONE, State

from .scope import SECONDS_A_DAY, STATE_LABELS, Scope


# ---- weekly inflow and outflow -----------------------------------------------------------------
@dataclass
class WeekRow:
    week: date
    logged: int = 0
    closed: int = 0


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _as_date(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def weekly_flow(scope: Scope) -> list[WeekRow]:
    # Counted by a never-empty column an index holds (cases: (created_at, state); logs: the
    # (content type, timestamp, ...) covering index), not by id: the indexes alone answer, where
    # counting ids read the rows (a year at a million cases: 181 → 79 ms and 227 → 122 ms).
    weeks: dict[date, WeekRow] = {}
    day = _monday(scope.start)
    while day <= scope.end:
        weeks[day] = WeekRow(day)
        day += timedelta(days=7)
    logged = (
        scope.cases()
        .filter(created_at__gte=scope.since, created_at__lt=scope.until)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("created_at"))
    )
    for row in logged:
        weeks[_as_date(row["week"])].logged = row["n"]
    closed = (
        scope.logs()
        .filter(state__in=DONE)
        .annotate(week=TruncWeek("timestamp"))
        .values("week")
        .annotate(n=Count("timestamp"))
    )
    for row in closed:
        weeks[_as_date(row["week"])].closed = row["n"]
    return list(weeks.values())


# ---- time in each state ------------------------------------------------------------------------
@dataclass
class StayRow:
    state: str
    label: str
    stays: int = 0
    median_days: float | None = None
    p90_days: float | None = None


# Up to this many days, PostgreSQL finds each stay from the log that ended it, the stay's start
# being that case's previous log (an index lookup per log: 0.6 s for 4 weeks at a million
# cases, where the window below took 1.2 s). Over longer periods the lookups cost more than
# the window's one pass (a year: 2.9 s against 1.8 s).
LOOKUP_UP_TO_DAYS = 92


def _stays(scope: Scope):
    """(state, entered, left) of every stay that ended in the period.

    A stay starts at the log that entered the state and ends at the case's next log (LEAD over
    the case's logs in time order). Only the logs of cases with a log in the period are read."""
    touched = scope.logs().values("object_id")
    return (
        scope.logs(in_period=False)
        .filter(object_id__in=touched, timestamp__lt=scope.until)
        .annotate(
            left=Window(
                Lead("timestamp"),
                partition_by=[F("object_id")],
                order_by=[F("timestamp").asc(), F("pk").asc()],
            )
        )
        .filter(left__gte=scope.since, left__lt=scope.until)
        .values_list("state", "timestamp", "left")
    )


def _stays_sql(scope: Scope) -> tuple[str, tuple]:
    """The SQL of `_stays`: (state, entered, left) per stay that ended in the period. Raises
    EmptyResultSet for a scope of no team."""
    short = (scope.end - scope.start).days < LOOKUP_UP_TO_DAYS
    if not (connection.vendor == "postgresql" and short):
        return _stays(scope).query.sql_with_params()
    # The same stays, found from the period's logs: each ends the stay its case's previous log
    # (in time, then id, order, as LEAD above) began.
    ended = scope.logs().values("content_type_id", "object_id", "timestamp", "pk")
    sql, params = ended.query.sql_with_params()
    table = connection.ops.quote_name(StateLog._meta.db_table)
    return (
        "SELECT began.state, began.timestamp, l.left_at"
        f" FROM ({sql}) AS l (content_type_id, object_id, left_at, id) CROSS JOIN LATERAL"
        f" (SELECT s.state, s.timestamp FROM {table} s"
        " WHERE s.content_type_id = l.content_type_id AND s.object_id = l.object_id"
        " AND (s.timestamp, s.id) < (l.left_at, l.id)"
        " ORDER BY s.timestamp DESC, s.id DESC LIMIT 1) AS began",
        params,
    )


def time_in_state(scope: Scope) -> list[StayRow]:
    rows = {state: StayRow(state, STATE_LABELS[state]) for state in State if state != State.NEW}
    try:
        sql, params = _stays_sql(scope)
    except EmptyResultSet:  # a supervisor of no team: no stays (it was a server error)
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT stay.state, COUNT(*),"
                " percentile_cont(0.5) WITHIN GROUP (ORDER BY stay.spent),"
                " percentile_cont(0.9) WITHIN GROUP (ORDER BY stay.spent)"
                " FROM (SELECT s.state, EXTRACT(EPOCH FROM (s.left_at - s.entered)) AS spent"
                f" FROM ({sql}) AS s (state, entered, left_at)) AS stay GROUP BY stay.state",
                params,
            )
            found = {state: (n, float(median), float(p90)) for state, n, median, p90 in cursor}
    else:
        # SQLite has no percentile_cont: the stays come from SQL, their percentiles (the same
        # linear interpolation) from Python. SQLite serves tests and small installs only.
        spent = defaultdict(list)
        for state, entered, left in _stays(scope):
            spent[state].append((left - entered).total_seconds())
        found = {
            state: (len(values), _percentile(values, 0.5), _percentile(values, 0.9))
            for state, values in spent.items()
        }
    for state, (n, median, p90) in found.items():
        if state in rows:
            rows[state].stays = n
            rows[state].median_days = round(median / SECONDS_A_DAY, 1)
            rows[state].p90_days = round(p90 / SECONDS_A_DAY, 1)
    return [row for row in rows.values() if row.stays]


def _percentile(values: list[float], fraction: float) -> float:
    """percentile_cont: linear interpolation between the closest ranks."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]
