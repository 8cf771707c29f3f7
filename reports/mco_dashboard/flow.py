"""The dashboard's figures over the period from the transition logs: weekly inflow and outflow,
time in each state."""

import statistics
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Sum, Window
from django.db.models.functions import Lead, TruncWeek
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases.states import DONE, State

from ..models import DayFlow, DayStay
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
    weeks: dict[date, WeekRow] = {}
    day = _monday(scope.start)
    while day <= scope.end:
        weeks[day] = WeekRow(day)
        day += timedelta(days=7)
    days = scope.rolled(DayFlow.objects).values("day")
    for row in days.annotate(logged=Sum("logged"), closed=Sum("closed")):
        week = weeks[_monday(row["day"])]
        week.logged += row["logged"]
        week.closed += row["closed"]
    live = scope.live()
    if live is not None:
        # Counted by a never-empty column an index holds (cases: (created_at, state); logs: the
        # (content type, timestamp, ...) covering index), not by id: the indexes alone answer,
        # where counting ids read the rows (a year at a million cases: 181 → 79, 227 → 122 ms).
        logged = logged_cases(live).annotate(week=TruncWeek("created_at")).values("week")
        for row in logged.annotate(n=Count("created_at")):
            weeks[_as_date(row["week"])].logged += row["n"]
        closed = closing_logs(live).annotate(week=TruncWeek("timestamp")).values("week")
        for row in closed.annotate(n=Count("timestamp")):
            weeks[_as_date(row["week"])].closed += row["n"]
    return list(weeks.values())


def logged_cases(scope: Scope):
    """The scope's cases logged in the period."""
    return scope.cases().filter(created_at__gte=scope.since, created_at__lt=scope.until)


def closing_logs(scope: Scope):
    """The logs of the scope's cases reaching a closed state in the period: each closed state
    is terminal, so a case's is counted once."""
    return scope.logs().filter(state__in=DONE)


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
    """(state, entered, left, case id) of every stay that ended in the period.

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
        .values_list("state", "timestamp", "left", "object_id")
    )


def _stays_sql(scope: Scope) -> tuple[str, tuple]:
    """The SQL of `_stays`: (state, entered, left, case id) per stay that ended in the period.
    Raises EmptyResultSet for a scope of no team."""
    short = (scope.end - scope.start).days < LOOKUP_UP_TO_DAYS
    if not (connection.vendor == "postgresql" and short):
        return _stays(scope).query.sql_with_params()
    # The same stays, found from the period's logs: each ends the stay its case's previous log
    # (in time, then id, order, as LEAD above) began.
    ended = scope.logs().values("content_type_id", "object_id", "timestamp", "pk")
    sql, params = ended.query.sql_with_params()
    table = connection.ops.quote_name(StateLog._meta.db_table)
    return (
        "SELECT began.state, began.timestamp, l.left_at, l.object_id"
        f" FROM ({sql}) AS l (content_type_id, object_id, left_at, id) CROSS JOIN LATERAL"
        f" (SELECT s.state, s.timestamp FROM {table} s"
        " WHERE s.content_type_id = l.content_type_id AND s.object_id = l.object_id"
        " AND (s.timestamp, s.id) < (l.left_at, l.id)"
        " ORDER BY s.timestamp DESC, s.id DESC LIMIT 1) AS began",
        params,
    )


def stays(scope: Scope) -> list[tuple]:
    """(state, entered, left, case id) of every stay that ended in the period, from the logs
    (the rollup's source)."""
    if connection.vendor != "postgresql":
        return list(_stays(scope))  # through the ORM, which turns SQLite's text into datetimes
    try:
        sql, params = _stays_sql(scope)
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _percentiles_sql(scope: Scope) -> tuple[str, tuple] | None:
    """PostgreSQL: (state, stays, median, 90th percentile in seconds) per state with a stay that
    ended in the period: the rolled days' stored stays and the other days' from the logs
    together. None when there is nothing to read (a supervisor of no team).

    One state at a time (a LATERAL per state over the (state, day, ...) index): grouping a
    year's 370,000 stays by state sorted them all once more before each state's percentile
    sorted its own (a million cases: 165 → 85 ms). The other days' stays are found once
    (MATERIALIZED) and read by each state."""
    with_live, per_state = [], []
    with suppress(EmptyResultSet):
        rolled = scope.rolled(DayStay.objects).values_list("state", "seconds")
        sql, params = rolled.query.sql_with_params()
        per_state.append(
            (f"SELECT r.seconds FROM ({sql}) AS r (state, seconds) WHERE r.state = k.state", params)
        )
    live = scope.live()
    if live is not None:
        with suppress(EmptyResultSet):
            sql, params = _stays_sql(live)
            with_live.append(
                (
                    "WITH live (state, spent) AS MATERIALIZED ("
                    "SELECT s.state, EXTRACT(EPOCH FROM (s.left_at - s.entered))"
                    f" FROM ({sql}) AS s (state, entered, left_at, object_id)) ",
                    params,
                )
            )
            per_state.append(("SELECT l.spent FROM live l WHERE l.state = k.state", ()))
    if not per_state:
        return None
    union = " UNION ALL ".join(f"({sql})" for sql, _ in per_state)
    states = [state.value for state in State if state != State.NEW]
    return (
        "".join(sql for sql, _ in with_live)
        + "SELECT k.state, x.n, x.median, x.p90 FROM unnest(%s::text[]) AS k (state)"
        " CROSS JOIN LATERAL (SELECT COUNT(*) AS n,"
        " percentile_cont(0.5) WITHIN GROUP (ORDER BY stay.spent) AS median,"
        " percentile_cont(0.9) WITHIN GROUP (ORDER BY stay.spent) AS p90"
        f" FROM ({union}) AS stay (spent)) AS x WHERE x.n > 0",
        (
            *(param for _, params in with_live for param in params),
            states,
            *(param for _, params in per_state for param in params),
        ),
    )


def time_in_state(scope: Scope) -> list[StayRow]:
    rows = {state: StayRow(state, STATE_LABELS[state]) for state in State if state != State.NEW}
    if connection.vendor == "postgresql":
        query = _percentiles_sql(scope)
        if query is None:  # a supervisor of no team: no stays (it was a server error)
            return []
        with connection.cursor() as cursor:
            cursor.execute(*query)
            found = {state: (n, float(median), float(p90)) for state, n, median, p90 in cursor}
    else:
        # SQLite has no percentile_cont: the stays come from SQL, their percentiles (the same
        # linear interpolation) from Python. SQLite serves tests and small installs only.
        spent = defaultdict(list)
        for state, seconds in scope.rolled(DayStay.objects).values_list("state", "seconds"):
            spent[state].append(seconds)
        live = scope.live()
        for state, entered, left, _ in stays(live) if live is not None else ():
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
