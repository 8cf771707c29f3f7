"""The dashboard's figures over the period from people's decisions: QC verdicts, the State
Monitors' decisions, outreach attempts."""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Sum

from cases.models import OutreachAttempt
from tracker.models import Team, User

from ..models import DayDecisions
from ..scorecard_base import percent
from .scope import MONITOR_DECISIONS, VERDICTS, Scope, case_logs


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


def decided_cases(scope: Scope, transitions) -> Counter:
    """(CSR id, team id, transition) -> the scope's cases given the transition in the period,
    from the logs (the rollup's source). A case is vetted once (from Escalated or MCO Updated,
    never back) and decided once by the State Monitors (Returned goes on to outreach), so
    counting cases counts decisions, and a period's count is the sum of its days'.

    Driven from the period's logs (the (content type, timestamp) index holds their case and
    transition), each joined to its case by primary key: semi-joining every case to the logs
    read the whole case table for each figure (586 ms at a million cases). The ORM has no join
    from a log to its case (a generic relation casts the case id), so the two querysets' SQL is
    joined here; it is plain SQL both databases take."""
    logs = (
        case_logs()
        .filter(timestamp__gte=scope.since, timestamp__lt=scope.until, transition__in=transitions)
        .values("object_id", "transition")
    )
    cases = scope.cases().annotate(case_id=F("pk")).values("case_id", "csr_id", "team_id")
    try:
        logs_sql, logs_params = logs.query.sql_with_params()
        cases_sql, cases_params = cases.query.sql_with_params()
    except EmptyResultSet:  # a supervisor of no team
        return Counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.csr_id, c.team_id, l.transition, COUNT(DISTINCT l.object_id)"
            f" FROM ({logs_sql}) l INNER JOIN ({cases_sql}) c ON c.case_id = l.object_id"
            " GROUP BY c.csr_id, c.team_id, l.transition",
            (*logs_params, *cases_params),
        )
        return Counter({(csr, team, transition): n for csr, team, transition, n in cursor})


def _decided(scope: Scope, transitions) -> list[dict]:
    """Per (CSR, team): the cases given each transition in the period, with the CSR's and the
    team's names. The rolled days' counts come from the rollup, the other days' from the
    logs."""
    counts = Counter()
    rolled = scope.rolled(DayDecisions.objects).filter(transition__in=transitions)
    for csr, team, transition, n in rolled.values_list("csr_id", "team_id", "transition").annotate(
        n=Sum("cases")
    ):
        counts[(csr, team, transition)] += n
    live = scope.live()
    if live is not None:
        counts.update(decided_cases(live, transitions))
    if not counts:
        return []
    people = {
        pk: (first, last, username)
        for pk, first, last, username in User.objects.filter(
            pk__in={csr for csr, _, _ in counts}
        ).values_list("pk", "first_name", "last_name", "username")
    }
    teams = dict(
        Team.objects.filter(pk__in={team for _, team, _ in counts}).values_list("pk", "name")
    )
    rows: dict[tuple, dict] = {}
    for (csr, team, transition), n in counts.items():
        first, last, username = people[csr]
        row = rows.setdefault(
            (csr, team),
            {
                "csr__first_name": first,
                "csr__last_name": last,
                "csr__username": username,
                "team__name": teams.get(team),
                **dict.fromkeys(transitions, 0),
            },
        )
        row[transition] = n
    return list(rows.values())


def decisions(scope: Scope) -> list[dict]:
    """The rows both figures below read, from one pass over the period's logs (a year at a
    million cases: one 1.2 s scan, not two)."""
    return _decided(scope, VERDICTS + MONITOR_DECISIONS)


def _having(rows: list[dict], transitions) -> list[dict]:
    return [row for row in rows if any(row.get(name) for name in transitions)]


def qc_verdicts(
    scope: Scope, decided: list[dict] | None = None
) -> tuple[list[VerdictRow], list[VerdictRow]]:
    """(per CSR, per team), both by name. A team's row is the sum of its CSRs' rows.
    `decided`: `decisions(scope)`, when the caller has it."""
    rows = _having(_decided(scope, VERDICTS) if decided is None else decided, VERDICTS)
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


def monitor_bounce(
    scope: Scope, decided: list[dict] | None = None
) -> tuple[list[BounceRow], BounceRow]:
    """(per team, all of them). `decided`: `decisions(scope)`, when the caller has it."""
    rows = _decided(scope, MONITOR_DECISIONS) if decided is None else decided
    by_team: dict[str | None, BounceRow] = {}
    for row in _having(rows, MONITOR_DECISIONS):
        line = by_team.setdefault(row["team__name"], BounceRow(row["team__name"] or "No team"))
        line.processed += row["mark_processed"]
        line.returned += row["return_unprocessed"]
    teams = list(by_team.values())
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
