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

Team: the team the case was logged under. Every figure is one or two queries whatever the number
of cases, QC verdicts and the State Monitors' decisions sharing one (SQLite has no
percentile_cont: there the stays' percentiles are taken in Python,
docs/decisions/0014-dashboard-percentiles.md). The period's closed days are read from their
rollup where it has them (`rollup`, a scope `with_rollup`), the other days from the logs.
"""

from dataclasses import dataclass

from .decisions import (
    BounceRow,
    OutreachRow,
    VerdictRow,
    decisions,
    monitor_bounce,
    outreach_outcomes,
    qc_verdicts,
)
from .flow import StayRow, WeekRow, time_in_state, weekly_flow
from .rollup import roll_up, rolled_through, with_rollup
from .scope import AGE_BUCKETS, Scope, bucket_label, case_logs, cutoff
from .snapshot import AgeRow, DeadlineRow, cases_by_age, deadlines_missed, last_step_cutoff

__all__ = [
    "AGE_BUCKETS",
    "AgeRow",
    "BounceRow",
    "Dashboard",
    "DeadlineRow",
    "OutreachRow",
    "Scope",
    "StayRow",
    "VerdictRow",
    "WeekRow",
    "bucket_label",
    "case_logs",
    "cases_by_age",
    "cutoff",
    "dashboard",
    "decisions",
    "deadlines_missed",
    "last_step_cutoff",
    "monitor_bounce",
    "outreach_outcomes",
    "qc_verdicts",
    "roll_up",
    "rolled_through",
    "time_in_state",
    "weekly_flow",
    "with_rollup",
]


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
    decided = decisions(scope)
    by_csr, by_team = qc_verdicts(scope, decided)
    bounce_by_team, bounce = monitor_bounce(scope, decided)
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
