"""What the MCO dashboard shows (a period, teams, today) and what its figures share."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases.filters import start_of
from cases.models import Case
from cases.states import NEXT_ACTOR, State
from tracker.business_days import add_business_days

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
    (None: every case, teamless ones too), and `today` for the snapshots.

    `rolled_through`: the days up to it are read from the rollup (rollup.with_rollup); None:
    every figure is read from the cases and their logs. Either way the figures are the same."""

    start: date
    end: date
    teams: tuple[int, ...] | None = None
    today: date = field(default_factory=timezone.localdate)
    rolled_through: date | None = None

    def rolled_days(self) -> tuple[date, date] | None:
        """(first, last) of the period's days read from the rollup, if any."""
        if self.rolled_through is None or self.start > self.rolled_through:
            return None
        return self.start, min(self.end, self.rolled_through)

    def live(self) -> "Scope | None":
        """The rest of the period (None if none): read from the cases and their logs."""
        if self.rolled_through is None:
            return self
        if self.end <= self.rolled_through:
            return None
        start = max(self.start, self.rolled_through + timedelta(days=1))
        return replace(self, start=start, rolled_through=None)

    def rolled(self, queryset):
        """`queryset` (of a rollup model: `day`, `team`) cut to the rolled days and the teams;
        `.none()` when no day of the period is rolled up."""
        days = self.rolled_days()
        if days is None:
            return queryset.none()
        queryset = queryset.filter(day__gte=days[0], day__lte=days[1]).order_by()
        return queryset if self.teams is None else queryset.filter(team__in=self.teams)

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
