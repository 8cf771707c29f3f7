"""The dashboard's figures as of today: open cases by state and age, deadlines missed."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q

from cases.filters import start_of
from cases.models import OutreachAttempt
from cases.states import NEXT_ACTOR, OUTREACH_OPEN, State
from cases.tables import OUTREACH_ATTEMPT_BUSINESS_DAYS
from tracker.business_days import add_business_days
from tracker.home import queue_target_days

from ..scorecard_base import percent
from .scope import AGE_BUCKETS, OPEN_STATES, STATE_LABELS, Scope, case_logs, cutoff


# ---- cases by state and age --------------------------------------------------------------------
@dataclass
class AgeRow:
    state: str
    label: str
    buckets: list[int]

    @property
    def total(self) -> int:
        return sum(self.buckets)


# Cases counted by their (never empty) created_at, not their id: then the (state, created_at)
# index alone answers these counts (an index-only scan, 24 ms over a million cases' 294,000 open
# ones, against 144 ms reading the rows).


def cases_by_age(scope: Scope) -> list[AgeRow]:
    counts = {}
    for index, (first, last) in enumerate(AGE_BUCKETS):
        condition = Q()
        if first > 0:
            condition &= Q(created_at__lt=cutoff(scope.today, first - 1))
        if last is not None:
            condition &= Q(created_at__gte=cutoff(scope.today, last))
        counts[f"bucket{index}"] = Count("created_at", filter=condition)
    found = {
        row["state"]: row
        for row in scope.cases().filter(state__in=OPEN_STATES).values("state").annotate(**counts)
    }
    return [
        AgeRow(state, STATE_LABELS[state], [found.get(state, {}).get(key, 0) for key in counts])
        for state in OPEN_STATES
    ]


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
        .annotate(
            open=Count("created_at"), late=Count("created_at", filter=Q(created_at__lt=late_since))
        )
    }
    actors: dict[str, DeadlineRow] = {}
    for state, actor in NEXT_ACTOR.items():
        line = actors.setdefault(
            actor, DeadlineRow(f"{actor}: waiting more than {target} business days", 0, 0)
        )
        line.open += by_state.get(state, {}).get("open", 0)
        line.late += by_state.get(state, {}).get("late", 0)
    before = last_step_cutoff(scope.today, OUTREACH_ATTEMPT_BUSINESS_DAYS)
    # Late: the last attempt was before `before`, or there is none and the case last entered
    # outreach before it (as cases.queues.supervisor_list finds them). An open outreach case has
    # had an attempt exactly when it is in Outreach 1st Attempt (the attempt is the transition
    # out of Outreach Required, and outreach is entered once), so the state says which rule
    # applies: asking the attempts table for each of 58,600 cases, twice, took 260 of 330 ms at
    # a million cases. "No attempt (log) since" is a small set hashed once; whether a case
    # entered outreach at all is one index probe (statelog_type_case_time_idx), where reading
    # each case's last attempt and entry read every log of 29,000 cases from the table (1.4 s).
    attempted = Q(state=State.OUTREACH_FIRST_ATTEMPT)
    attempted_since = OutreachAttempt.objects.filter(made_on__gte=before).values("case_id")
    entered = Exists(case_logs().filter(object_id=OuterRef("pk"), state=State.OUTREACH_REQUIRED))
    entered_since = (
        case_logs()
        .filter(state=State.OUTREACH_REQUIRED, timestamp__gte=start_of(before))
        .values("object_id")
    )
    outreach = (
        scope.cases()
        .filter(state__in=OUTREACH_OPEN)
        .aggregate(
            open=Count("pk"),
            late=Count(
                "pk",
                filter=(attempted & ~Q(pk__in=attempted_since))
                | (~attempted & ~Q(pk__in=entered_since) & entered),
            ),
        )
    )
    attempts = DeadlineRow(
        f"Supervisor: next outreach attempt late ({OUTREACH_ATTEMPT_BUSINESS_DAYS} business days)",
        outreach["open"],
        outreach["late"],
    )
    return [*actors.values(), attempts]
