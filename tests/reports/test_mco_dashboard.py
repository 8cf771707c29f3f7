"""The MCO dashboard's figures (reports.mco_dashboard) over hand-worked cases (conftest
`mco_world`): every expected number below is worked out in the fixture's docstring's terms."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import mco_dashboard as board

pytestmark = pytest.mark.django_db

START, END, TODAY = date(2026, 11, 2), date(2026, 11, 15), date(2026, 12, 3)


@pytest.fixture
def everyone(mco_world):
    return board.Scope(START, END, None, TODAY)


@pytest.fixture
def alpha(mco_world, team):
    return board.Scope(START, END, (team.pk,), TODAY)


def test_it_counts_open_cases_by_state_and_business_day_age(everyone):
    rows = {row.state: row.buckets for row in board.cases_by_age(everyone)}
    # Ages on Thu 12/03 in business days: F 2, G 5 (Thanksgiving skipped), E 12, H 3, I 1,
    # C 15 (Veterans Day and Thanksgiving skipped), D 22.
    assert rows == {
        "escalated": [1, 1, 0, 1, 0],
        "mco_updated": [0, 0, 0, 0, 0],
        "true_tracker": [0, 0, 0, 0, 1],
        "returned_by_monitor": [0, 0, 0, 1, 0],
        "outreach_required": [1, 1, 0, 0, 0],
        "outreach_first_attempt": [0, 0, 0, 0, 0],
    }


def test_it_counts_cases_logged_and_closed_each_week(everyone):
    flow = [(row.week, row.logged, row.closed) for row in board.weekly_flow(everyone)]
    # Logged: A, B (week of 11/02), C (11/09). Closed: A processed 11/06, B reached 11/10.
    assert flow == [(date(2026, 11, 2), 2, 1), (date(2026, 11, 9), 1, 1)]


def test_it_gives_median_and_90th_percentile_of_stays_that_ended_in_the_period(everyone):
    rows = board.time_in_state(everyone)
    stays = {row.state: (row.stays, row.median_days, row.p90_days) for row in rows}
    # Escalated: C 0.25, A 2, B 3, D 10 days -> median 2.5; p90 = 3 + 0.7 × (10 − 3) = 7.9.
    assert stays["escalated"] == (4, 2.5, 7.9)
    # True tracker: A 11/04 -> 11/06 and C 11/10 16:00 -> 11/12 16:00; D's stay has not ended.
    assert stays["true_tracker"] == (2, 2.0, 2.0)
    assert stays["outreach_required"] == (1, 4.0, 4.0)
    assert stays["outreach_first_attempt"] == (1, 1.0, 1.0)
    # Closed and still-open stays never ended: no row.
    assert set(stays) == {
        "escalated",
        "true_tracker",
        "outreach_required",
        "outreach_first_attempt",
    }


def test_it_limits_stays_to_the_chosen_team(alpha):
    stays = {row.state: (row.stays, row.median_days) for row in board.time_in_state(alpha)}
    # C is Team Beta's: Alpha's escalated stays are A 2, B 3, D 10.
    assert stays["escalated"] == (3, 3.0)
    assert stays["true_tracker"] == (1, 2.0)


def test_it_gives_qc_true_rate_per_csr_and_team(everyone):
    by_csr, by_team = board.qc_verdicts(everyone)
    # H and I were vetted after the period: not counted.
    assert [(r.name, r.team, r.true, r.false, r.true_pct) for r in by_csr] == [
        ("csr.carol", "Team Beta", 1, 0, 100.0),
        ("Reyes, Alice", "Team Alpha", 2, 1, 66.7),
    ]
    assert [(r.name, r.true, r.false, r.true_pct) for r in by_team] == [
        ("Team Alpha", 2, 1, 66.7),
        ("Team Beta", 1, 0, 100.0),
    ]


def test_it_gives_the_state_monitor_bounce_rate(everyone):
    teams, total = board.monitor_bounce(everyone)
    assert [(r.team, r.processed, r.returned, r.bounce_pct) for r in teams] == [
        ("Team Alpha", 1, 0, 0.0),
        ("Team Beta", 0, 1, 100.0),
    ]
    assert (total.processed, total.returned, total.bounce_pct) == (1, 1, 50.0)


def test_it_leaves_other_teams_out_of_every_period_figure(alpha):
    by_csr, by_team = board.qc_verdicts(alpha)
    assert [r.name for r in by_team] == ["Team Alpha"]
    teams, total = board.monitor_bounce(alpha)
    assert (total.processed, total.returned) == (1, 0)
    assert [(r.week, r.logged) for r in board.weekly_flow(alpha)][1] == (date(2026, 11, 9), 0)


def test_it_counts_outreach_outcomes_per_attempt_and_method(everyone):
    lines = board.outreach_outcomes(everyone)
    rows = {r.label: (r.attempts, r.reached, r.not_reached) for r in lines}
    assert rows == {
        "1st attempt": (1, 0, 1),
        "2nd attempt": (1, 1, 0),
        "By phone": (1, 0, 1),
        "By email": (1, 1, 0),
        "By mail": (0, 0, 0),
        "All attempts": (2, 1, 1),
    }


def test_it_counts_missed_deadlines_today(everyone):
    rows = [(r.label.split(":")[0], r.open, r.late) for r in board.deadlines_missed(everyone)]
    assert rows == [
        # E (12), F (2), G (5: not more than 5), C (15) -> E and C.
        ("QC Lead", 4, 2),
        ("State Monitor", 1, 1),
        # H (3) and I (1): neither waits more than 5 business days.
        ("Supervisor", 2, 0),
        # H entered outreach Mon 11/30: attempt due Wed 12/02, late on 12/03; I's is due 12/04.
        ("Supervisor", 2, 1),
    ]


def test_it_counts_a_late_attempt_after_the_last_attempt(everyone, mco_world, supervisor):
    import time_machine

    from cases import services

    # I's first attempt on Wed 12/02 (not reached): the next is due Fri 12/04, not late.
    # H's first attempt on Mon 11/30: the next was due Wed 12/02, late.
    with time_machine.travel(date(2026, 12, 3)):
        for case, made_on in (
            (mco_world["I"], date(2026, 12, 2)),
            (mco_world["H"], date(2026, 11, 30)),
        ):
            services.case_record_attempt(
                case=case, by=supervisor, made_on=made_on, method="phone", reached=False
            )
    assert board.deadlines_missed(everyone)[-1].late == 1


@pytest.mark.parametrize("day, cutoff", [
    # Thu 12/03: a step on Tue 12/01 is due Thu 12/03 (not late); Mon 11/30's was due Wed.
    (date(2026, 12, 3), date(2026, 12, 1)),
    # Mon 11/30: Wed 11/25 + 2 skips Thanksgiving -> Mon 11/30; Tue 11/24's was due Fri 11/27.
    (date(2026, 11, 30), date(2026, 11, 25)),
    # Fri 11/13: Tue 11/10 + 2 skips Veterans Day -> Fri 11/13; Mon 11/09's was due Thu 11/12.
    (date(2026, 11, 13), date(2026, 11, 10)),
])  # fmt: skip
def test_it_finds_the_last_step_before_which_an_attempt_is_late(day, cutoff):
    assert board.last_step_cutoff(day, 2) == cutoff


def test_it_runs_the_same_number_of_queries_whatever_the_number_of_cases(
    everyone, log_case, qc_lead
):
    import time_machine

    from cases import services

    with CaptureQueriesContext(connection) as small:
        board.dashboard(everyone)
    with time_machine.travel(date(2026, 11, 11)):
        for _ in range(15):
            services.case_vet_true(case=log_case(), by=qc_lead)
    with CaptureQueriesContext(connection) as big:
        board.dashboard(everyone)
    assert len(big) == len(small) <= 10


def test_it_tells_two_csrs_of_one_name_apart(everyone, team, log_case, qc_lead):
    import time_machine

    from cases import services
    from tests.conftest import make_user
    from tracker import roles

    namesake = make_user("csr.alice2", roles.CSR, team=team, first_name="Alice", last_name="Reyes")
    with time_machine.travel(date(2026, 11, 11)):
        services.case_vet_false(case=log_case(by=namesake), by=qc_lead, reason="Not a case")
    by_csr, _ = board.qc_verdicts(everyone)
    assert [(r.name, r.true, r.false) for r in by_csr] == [
        ("csr.carol", 1, 0),
        ("Reyes, Alice (csr.alice)", 2, 1),
        ("Reyes, Alice (csr.alice2)", 0, 1),
    ]
