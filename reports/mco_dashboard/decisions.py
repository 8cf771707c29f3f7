"""The dashboard's figures over the period from people's decisions: QC verdicts, the State
Monitors' decisions, outreach attempts."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from cases.models import OutreachAttempt

from ..scorecard_base import percent
from .scope import MONITOR_DECISIONS, VERDICTS, Scope


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
    rows = list(rows)
    names = Counter(
        _person(row["csr__first_name"], row["csr__last_name"], row["csr__username"]) for row in rows
    )
    people, teams = [], {}
    for row in rows:
        team = row["team__name"] or "No team"
        person = _person(row["csr__first_name"], row["csr__last_name"], row["csr__username"])
        if names[person] > 1:  # two CSRs of one name: tell them apart by their user names
            person = f"{person} ({row['csr__username']})"
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
