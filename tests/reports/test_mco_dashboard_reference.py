"""The dashboard's SQL figures against a plain recomputation in Python from the same rows
(conftest `mco_world`, several periods and teams): the queries may be rewritten for speed, the
figures may not change."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest

from cases.filters import start_of
from cases.models import Case, OutreachAttempt
from cases.states import OUTREACH_OPEN, State
from cases.tables import OUTREACH_ATTEMPT_BUSINESS_DAYS
from reports import mco_dashboard as board

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)
PERIODS = [
    (date(2026, 11, 2), date(2026, 11, 15)),
    (date(2026, 11, 9), date(2026, 11, 9)),
    (date(2026, 10, 1), date(2026, 12, 3)),
    # Longer than flow.LOOKUP_UP_TO_DAYS: time in state takes its other query on PostgreSQL.
    (date(2025, 12, 3), date(2026, 12, 3)),
]


def scopes(team):
    return [
        board.Scope(start, end, teams, TODAY)
        for start, end in PERIODS
        for teams in (None, (team.pk,), ())
    ]


def in_scope(case, scope):
    return case.state != State.NEW and (scope.teams is None or case.team_id in scope.teams)


def period_logs(scope):
    return [
        log
        for log in board.case_logs()
        if scope.since <= log.timestamp < scope.until
        and in_scope(Case.objects.get(pk=log.object_id), scope)
    ]


def decided(scope, transitions):
    """(csr id, team name) -> transition -> cases given it in the period."""
    cases = defaultdict(lambda: defaultdict(set))
    for log in period_logs(scope):
        if log.transition in transitions:
            case = Case.objects.select_related("team").get(pk=log.object_id)
            team = case.team.name if case.team else "No team"
            cases[(case.csr_id, team)][log.transition].add(case.pk)
    return {key: {t: len(ids[t]) for t in transitions} for key, ids in cases.items()}


def test_it_counts_qc_verdicts_as_a_plain_recount_does(mco_world, team):
    for scope in scopes(team):
        by_csr, by_team = board.qc_verdicts(scope)
        expected = decided(scope, ("vet_true", "vet_false"))
        assert sorted((r.team, r.true, r.false) for r in by_csr) == sorted(
            (team_name, n["vet_true"], n["vet_false"]) for (_, team_name), n in expected.items()
        )
        teams = Counter()
        for (_, team_name), n in expected.items():
            teams[(team_name, True)] += n["vet_true"]
            teams[(team_name, False)] += n["vet_false"]
        assert {(r.name, r.true, r.false) for r in by_team} == {
            (name, teams[(name, True)], teams[(name, False)]) for name, _ in teams
        }


def test_it_counts_state_monitor_decisions_as_a_plain_recount_does(mco_world, team):
    for scope in scopes(team):
        teams, total = board.monitor_bounce(scope)
        expected = Counter()
        for (_, team_name), n in decided(scope, ("mark_processed", "return_unprocessed")).items():
            expected[(team_name, "p")] += n["mark_processed"]
            expected[(team_name, "r")] += n["return_unprocessed"]
        assert {(r.team, r.processed, r.returned) for r in teams} == {
            (name, expected[(name, "p")], expected[(name, "r")]) for name, _ in expected
        }
        assert (total.processed, total.returned) == (
            sum(n for (_, kind), n in expected.items() if kind == "p"),
            sum(n for (_, kind), n in expected.items() if kind == "r"),
        )


def late_outreach(scope):
    before = board.last_step_cutoff(scope.today, OUTREACH_ATTEMPT_BUSINESS_DAYS)
    late = total = 0
    for case in Case.objects.filter(state__in=OUTREACH_OPEN):
        if not in_scope(case, scope):
            continue
        total += 1
        made = [a.made_on for a in OutreachAttempt.objects.filter(case=case)]
        entered = [
            log.timestamp
            for log in board.case_logs().filter(object_id=case.pk)
            if log.state == State.OUTREACH_REQUIRED
        ]
        if made:
            late += max(made) < before
        elif entered:
            late += max(entered) < start_of(before)
    return total, late


@pytest.mark.parametrize("days_later", [0, 1, 2, 5])
def test_it_counts_late_outreach_as_a_plain_recount_does(mco_world, team, days_later):
    for scope in scopes(team):
        scope = board.Scope(scope.start, scope.end, scope.teams, TODAY + timedelta(days_later))
        line = board.deadlines_missed(scope)[-1]
        assert (line.open, line.late) == late_outreach(scope)


def interpolated(values, fraction):
    values = sorted(values)
    rank = fraction * (len(values) - 1)
    low = int(rank)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (rank - low)


def test_it_gives_time_in_state_as_a_plain_recount_does(mco_world, team):
    for scope in scopes(team):
        spent = defaultdict(list)
        for case in Case.objects.all():
            if not in_scope(case, scope):
                continue
            logs = sorted(
                board.case_logs().filter(object_id=case.pk), key=lambda log: (log.timestamp, log.pk)
            )
            for stay, left in pairwise(logs):
                if scope.since <= left.timestamp < scope.until:
                    spent[stay.state].append((left.timestamp - stay.timestamp).total_seconds())
        day = 86_400
        assert {
            (r.state, r.stays, r.median_days, r.p90_days) for r in board.time_in_state(scope)
        } == {
            (
                state,
                len(v),
                round(interpolated(v, 0.5) / day, 1),
                round(interpolated(v, 0.9) / day, 1),
            )
            for state, v in spent.items()
            if state != State.NEW
        }


def test_the_page_reads_verdicts_and_decisions_in_one_pass_with_the_same_figures(mco_world, team):
    for scope in scopes(team):
        page = board.dashboard(scope)
        assert (page.verdicts_by_csr, page.verdicts_by_team) == board.qc_verdicts(scope)
        assert (page.bounce_by_team, page.bounce) == board.monitor_bounce(scope)


@pytest.mark.parametrize("days_later", [0, 1, 3, 8])
def test_it_counts_late_outreach_in_a_busy_world_as_a_plain_recount_does(
    busy_world, team, other_team, days_later
):
    """The busy world has open outreach in both states (with and without an attempt)."""
    open_states = Counter(
        Case.objects.filter(state__in=OUTREACH_OPEN).values_list("state", flat=True)
    )
    assert open_states[State.OUTREACH_REQUIRED] and open_states[State.OUTREACH_FIRST_ATTEMPT]
    late = set()
    for teams in (None, (team.pk,), (other_team.pk,), ()):
        scope = board.Scope(TODAY, TODAY, teams, TODAY + timedelta(days_later))
        line = board.deadlines_missed(scope)[-1]
        assert (line.open, line.late) == late_outreach(scope)
        late.add(line.late)
    assert late != {0}
