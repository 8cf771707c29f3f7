"""The MCO Manual Tracker dashboard (issue 16): one function per figure, each one SQL aggregate.

What each figure means (one place, shown on the page and in the export):
- Cases by state and age: open cases (someone acts next) now, per state, by age in business days
  (US federal holidays) since the case was logged. A snapshot: the period does not apply.
- Weekly inflow and outflow: per week (Monday to Sunday) of the period, cases logged, and cases
  that reached a closed state (Question Answered, Processed in MMIS, Outreach Max Attempts,
  Outreach Completed, Withdrawn). A Question Answered case is in and out the same week.
- Time in each state: stays that ended in the period (the case left the state then), from the
  transition log: calendar days from entering the state to leaving it; median and 90th
  percentile (linear interpolation, PostgreSQL's percentile_cont).
- QC verdicts: vet true / vet false decisions made in the period, per CSR who logged the case and
  per team; true rate = true ÷ (true + false).
- State Monitor bounce rate: the State Monitors' decisions in the period; bounce rate = returned
  unprocessed ÷ (processed + returned).
- Outreach outcomes: supervisor outreach attempts made (by attempt date) in the period, per
  attempt and method: reached or not.
- Deadlines missed: now, like the home page: open cases waiting longer than
  QUEUE_TARGET_BUSINESS_DAYS since they were logged, per who acts next; and open outreach whose
  next attempt is late (OUTREACH_ATTEMPT_BUSINESS_DAYS after the last attempt, or after the case
  entered outreach). A snapshot: the period does not apply.

Team: the team the case was logged under. Every figure is one query (time in state: one more on
SQLite, which has no percentile_cont), whatever the number of cases.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Lead, TruncWeek
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases.filters import start_of
from cases.models import Case, OutreachAttempt
from cases.states import DONE, NEXT_ACTOR, OUTREACH_OPEN, State
from cases.tables import OUTREACH_ATTEMPT_BUSINESS_DAYS
from tracker.business_days import add_business_days
from tracker.home import queue_target_days

from .scorecard_base import percent

# Business-day age buckets (first, last); None = no upper bound.
AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 2), (3, 5), (6, 10), (11, 20), (21, None))
OPEN_STATES = list(NEXT_ACTOR)
STATE_LABELS = dict(State.choices)
VERDICTS = ("vet_true", "vet_false")
MONITOR_DECISIONS = ("mark_processed", "return_unprocessed")
SECONDS_A_DAY = 86_400


def bucket_label(first: int, last: int | None) -> str:
    return f"{first}+ days" if last is None else f"{first}–{last} days"


@dataclass(frozen=True)
class Scope:
    """What the dashboard shows: local dates `start`..`end` (inclusive), the cases of `teams`
    (None: every case, teamless ones too), and `today` for the snapshots."""

    start: date
    end: date
    teams: tuple[int, ...] | None = None
    today: date = field(default_factory=timezone.localdate)

    @property
    def since(self) -> datetime:
        return start_of(self.start)

    @property
    def until(self) -> datetime:
        return start_of(self.end, days_after=1)

    def cases(self):
        queryset = Case.objects.exclude(state=State.NEW).order_by()
        return queryset if self.teams is None else queryset.filter(team__in=self.teams)

    def logs(self, *, in_period: bool = True):
        """Case transition logs (in the period), of the scope's teams."""
        queryset = case_logs()
        if in_period:
            queryset = queryset.filter(timestamp__gte=self.since, timestamp__lt=self.until)
        if self.teams is None:
            return queryset
        # The cases' ids, not a join: a generic relation joins on the case id cast to the log's
        # integer, which no index serves (a scan of every case, 205 ms at 100,000).
        return queryset.filter(object_id__in=self.cases().values("pk"))


def case_logs():
    return StateLog.objects.filter(content_type=ContentType.objects.get_for_model(Case)).order_by()


def cutoff(today: date, business_days: int) -> datetime:
    """Logged before this instant <=> older than `business_days` business days on `today`
    (cases.filters.older_than_cutoff, for any day)."""
    return start_of(add_business_days(today, -business_days))


# ---- cases by state and age --------------------------------------------------------------------
@dataclass
class AgeRow:
    state: str
    label: str
    buckets: list[int]

    @property
    def total(self) -> int:
        return sum(self.buckets)


def cases_by_age(scope: Scope) -> list[AgeRow]:
    counts = {}
    for index, (first, last) in enumerate(AGE_BUCKETS):
        condition = Q()
        if first > 0:
            condition &= Q(created_at__lt=cutoff(scope.today, first - 1))
        if last is not None:
            condition &= Q(created_at__gte=cutoff(scope.today, last))
        counts[f"bucket{index}"] = Count("pk", filter=condition)
    found = {
        row["state"]: row
        for row in scope.cases().filter(state__in=OPEN_STATES).values("state").annotate(**counts)
    }
    return [
        AgeRow(state, STATE_LABELS[state], [found.get(state, {}).get(key, 0) for key in counts])
        for state in OPEN_STATES
    ]


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
    logged = (
        scope.cases()
        .filter(created_at__gte=scope.since, created_at__lt=scope.until)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"))
    )
    for row in logged:
        weeks[_as_date(row["week"])].logged = row["n"]
    closed = (
        scope.logs()
        .filter(state__in=DONE)
        .annotate(week=TruncWeek("timestamp"))
        .values("week")
        .annotate(n=Count("pk"))
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


def time_in_state(scope: Scope) -> list[StayRow]:
    rows = {state: StayRow(state, STATE_LABELS[state]) for state in State if state != State.NEW}
    stays = _stays(scope)
    if connection.vendor == "postgresql":
        sql, params = stays.query.sql_with_params()
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
        for state, entered, left in stays:
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


# ---- QC verdicts per CSR and team --------------------------------------------------------------
@dataclass
class VerdictRow:
    name: str
    team: str = ""
    true: int = 0
    false: int = 0

    @property
    def vetted(self) -> int:
        return self.true + self.false

    @property
    def true_pct(self) -> float | None:
        return percent(self.true, self.vetted)


def _person(first: str, last: str, username: str) -> str:
    return f"{last}, {first}" if first and last else (last or first or username)


def _decided(scope: Scope, transitions) -> dict:
    """Count() arguments per transition: the cases given it in the period. A case is vetted
    once (from Escalated or MCO Updated, never back) and decided once by the State Monitors
    (Returned goes on to outreach), so counting cases counts decisions. Cases, not logs joined to
    their cases: the case ids the period's logs hold are looked up in the case table's index."""
    return {
        name: Count("pk", filter=Q(pk__in=scope.logs().filter(transition=name).values("object_id")))
        for name in transitions
    }


def qc_verdicts(scope: Scope) -> tuple[list[VerdictRow], list[VerdictRow]]:
    """(per CSR, per team), both by name. A team's row is the sum of its CSRs' rows."""
    rows = (
        scope.cases()
        .filter(pk__in=scope.logs().filter(transition__in=VERDICTS).values("object_id"))
        .values("csr", "csr__first_name", "csr__last_name", "csr__username", "team__name")
        .annotate(**_decided(scope, VERDICTS))
    )
    people, teams = [], {}
    for row in rows:
        team = row["team__name"] or "No team"
        person = _person(row["csr__first_name"], row["csr__last_name"], row["csr__username"])
        people.append(VerdictRow(person, team, row["vet_true"], row["vet_false"]))
        total = teams.setdefault(team, VerdictRow(team, team))
        total.true += row["vet_true"]
        total.false += row["vet_false"]
    people.sort(key=lambda r: (r.name.casefold(), r.team))
    return people, sorted(teams.values(), key=lambda r: r.name.casefold())


# ---- State Monitor bounce rate -----------------------------------------------------------------
@dataclass
class BounceRow:
    team: str
    processed: int = 0
    returned: int = 0

    @property
    def decided(self) -> int:
        return self.processed + self.returned

    @property
    def bounce_pct(self) -> float | None:
        return percent(self.returned, self.decided)


def monitor_bounce(scope: Scope) -> tuple[list[BounceRow], BounceRow]:
    """(per team, all of them)."""
    rows = (
        scope.cases()
        .filter(pk__in=scope.logs().filter(transition__in=MONITOR_DECISIONS).values("object_id"))
        .values("team__name")
        .annotate(**_decided(scope, MONITOR_DECISIONS))
    )
    teams = [
        BounceRow(row["team__name"] or "No team", row["mark_processed"], row["return_unprocessed"])
        for row in rows
    ]
    total = BounceRow("All teams")
    for row in teams:
        total.processed += row.processed
        total.returned += row.returned
    return sorted(teams, key=lambda r: r.team.casefold()), total


# ---- outreach outcomes -------------------------------------------------------------------------
@dataclass
class OutreachRow:
    label: str
    reached: int = 0
    not_reached: int = 0

    @property
    def attempts(self) -> int:
        return self.reached + self.not_reached

    @property
    def reached_pct(self) -> float | None:
        return percent(self.reached, self.attempts)


def outreach_outcomes(scope: Scope) -> list[OutreachRow]:
    """One row per attempt (1st, 2nd), one per method, then all attempts."""
    attempts = OutreachAttempt.objects.filter(
        made_on__gte=scope.start, made_on__lte=scope.end
    ).order_by()
    if scope.teams is not None:
        attempts = attempts.filter(case__team__in=scope.teams)
    by_number = {1: OutreachRow("1st attempt"), 2: OutreachRow("2nd attempt")}
    by_method = {
        value: OutreachRow(f"By {label.lower()}") for value, label in OutreachAttempt.Method.choices
    }
    total = OutreachRow("All attempts")
    for row in attempts.values("number", "method", "reached").annotate(n=Count("pk")):
        for line in (by_number.get(row["number"]), by_method.get(row["method"]), total):
            if line is not None:
                if row["reached"]:
                    line.reached += row["n"]
                else:
                    line.not_reached += row["n"]
    return [*by_number.values(), *by_method.values(), total]


# ---- deadlines missed --------------------------------------------------------------------------
@dataclass
class DeadlineRow:
    label: str
    open: int
    late: int

    @property
    def late_pct(self) -> float | None:
        return percent(self.late, self.open)


def last_step_cutoff(today: date, business_days: int) -> date:
    """The first day whose next attempt (`business_days` business days later) is not yet late
    on `today`: a last step before it means a late attempt."""
    day = today
    while add_business_days(day - timedelta(days=1), business_days) >= today:
        day -= timedelta(days=1)
    return day


def deadlines_missed(scope: Scope) -> list[DeadlineRow]:
    """Per who acts next: open cases, and those waiting more than the queue target; then open
    outreach whose next attempt is late."""
    target = queue_target_days()
    late_since = cutoff(scope.today, target)
    by_state = {
        row["state"]: row
        for row in scope.cases()
        .filter(state__in=OPEN_STATES)
        .values("state")
        .annotate(open=Count("pk"), late=Count("pk", filter=Q(created_at__lt=late_since)))
    }
    actors: dict[str, DeadlineRow] = {}
    for state, actor in NEXT_ACTOR.items():
        line = actors.setdefault(
            actor, DeadlineRow(f"{actor}: waiting more than {target} business days", 0, 0)
        )
        line.open += by_state.get(state, {}).get("open", 0)
        line.late += by_state.get(state, {}).get("late", 0)
    before = last_step_cutoff(scope.today, OUTREACH_ATTEMPT_BUSINESS_DAYS)
    # As the outreach list finds them (cases.queues.supervisor_list): subqueries per case.
    entered = (
        case_logs()
        .filter(object_id=OuterRef("pk"), state=State.OUTREACH_REQUIRED)
        .order_by("-timestamp")
        .values("timestamp")[:1]
    )
    last_attempt = (
        OutreachAttempt.objects.filter(case=OuterRef("pk"))
        .order_by("-made_on")
        .values("made_on")[:1]
    )
    outreach = (
        scope.cases()
        .filter(state__in=OUTREACH_OPEN)
        .annotate(last_attempt=Subquery(last_attempt), entered=Subquery(entered))
        .aggregate(
            open=Count("pk"),
            late=Count(
                "pk",
                filter=Q(last_attempt__lt=before)
                | Q(last_attempt__isnull=True, entered__lt=start_of(before)),
            ),
        )
    )
    attempts = DeadlineRow(
        f"Supervisor: next outreach attempt late ({OUTREACH_ATTEMPT_BUSINESS_DAYS} business days)",
        outreach["open"],
        outreach["late"],
    )
    return [*actors.values(), attempts]


# ---- everything --------------------------------------------------------------------------------
@dataclass
class Dashboard:
    scope: Scope
    ages: list[AgeRow]
    flow: list[WeekRow]
    stays: list[StayRow]
    verdicts_by_csr: list[VerdictRow]
    verdicts_by_team: list[VerdictRow]
    bounce_by_team: list[BounceRow]
    bounce: BounceRow
    outreach: list[OutreachRow]
    deadlines: list[DeadlineRow]

    @property
    def age_labels(self) -> list[str]:
        return [bucket_label(first, last) for first, last in AGE_BUCKETS]


def dashboard(scope: Scope) -> Dashboard:
    by_csr, by_team = qc_verdicts(scope)
    bounce_by_team, bounce = monitor_bounce(scope)
    return Dashboard(
        scope=scope,
        ages=cases_by_age(scope),
        flow=weekly_flow(scope),
        stays=time_in_state(scope),
        verdicts_by_csr=by_csr,
        verdicts_by_team=by_team,
        bounce_by_team=bounce_by_team,
        bounce=bounce,
        outreach=outreach_outcomes(scope),
        deadlines=deadlines_missed(scope),
    )
