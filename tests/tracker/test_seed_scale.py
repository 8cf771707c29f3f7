"""`manage.py seed_scale` at a small size: the data it writes is what the models expect, and the
list pages still render over it. This test is what keeps the seed working as models change."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django_fsm_log.models import StateLog

from cases.models import Case, Kind, OutreachAttempt, Participant
from cases.states import State
from referrals.models import AssisterReport, Referral
from referrals.states import State as ReferralState
from tracker import roles
from tracker.models import User

from ..conftest import make_user

pytestmark = pytest.mark.django_db

# How many logged transitions and outreach attempts each final state implies.
ATTEMPTS = {
    State.OUTREACH_FIRST_ATTEMPT: 1,
    State.OUTREACH_MAX_ATTEMPTS: 2,
}


def seed(**options):
    call_command("seed_scale", cases=300, referrals=100, workers=0, **options)


def seeded(role):
    """A seeded user of this role who has something on their list."""
    if role == roles.CSR:
        return Case.objects.first().csr
    if role == roles.SUPERVISOR:
        return Case.objects.filter(state=State.OUTREACH_REQUIRED).first().team.supervisor
    if role == roles.PAL_REPRESENTATIVE:
        return Referral.objects.first().created_by
    return User.objects.filter(username__startswith="seed.", groups__name=role).first()


def test_it_seeds_every_state_kind_and_team_with_history():
    seed()
    assert Case.objects.count() == 300
    assert set(Case.objects.values_list("state", flat=True)) == set(State.values) - {State.NEW}
    assert set(Case.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert Case.objects.values("team").distinct().count() == 10
    per_case = Case.objects.annotate(n=Count("participants")).values_list("n", flat=True)
    assert set(per_case) == {1, 2, 3}
    for case in Case.objects.all()[:50]:
        logs = StateLog.objects.for_(case).order_by("timestamp", "pk")
        assert logs.first().source_state == State.NEW
        assert logs.last().state == case.state
        attempts = OutreachAttempt.objects.filter(case=case).count()
        if case.state in ATTEMPTS:
            assert attempts == ATTEMPTS[case.state]
        if case.state == State.OUTREACH_COMPLETED:
            assert attempts in (1, 2)


def test_it_encrypts_ssns_with_the_models_field_and_fills_the_blind_index():
    seed()
    person = Participant.objects.order_by("pk")[7]
    assert len(person.ssn) == 9
    assert person.pk in Participant.objects.with_ssn(person.ssn).values_list("pk", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT ssn FROM cases_participant WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert person.ssn not in stored


def test_it_seeds_referrals_with_outcomes_and_reports():
    seed()
    states = set(Referral.objects.values_list("state", flat=True))
    # Every state of the lifecycle but "new" (a referral is submitted as it is created).
    assert states == set(ReferralState.values) - {ReferralState.NEW}
    reported = Referral.objects.filter(
        state__in=[ReferralState.IN_PROGRESS, ReferralState.COMPLETED]
    )
    assert not reported.filter(outcome_reported_by=None).exists()
    assert AssisterReport.objects.filter(status=AssisterReport.Status.RETURNED).exists()


def test_it_adds_to_a_seeded_database_and_leaves_the_sequences_usable():
    seed()
    seed()
    assert Case.objects.count() == 600
    assert Case.objects.create(kind=Kind.MCT_SPAN, csr=seeded(roles.CSR)).pk == 601


def test_it_refuses_a_database_with_other_users_unless_forced():
    make_user("real.person", roles.CSR)
    with pytest.raises(CommandError, match="not made by seed_scale"):
        seed()
    assert not Case.objects.exists()
    seed(force=True)
    assert Case.objects.count() == 300


# (role, page, what a row of it shows): every list page the bench times.
PAGES = [
    (roles.QC_LEAD, "/cases/qc/", "MCO-"),
    (roles.QC_LEAD, "/cases/qc/?per_page=100&sort=team&page=2", "MCO-"),
    (roles.STATE_MONITOR, "/cases/monitor/", "MCO-"),
    (roles.SUPERVISOR, "/cases/outreach/", "MCO-"),
    (roles.CSR, "/cases/mine/", "MCO-"),
    (roles.PAL_COORDINATOR, "/referrals/?sort=assister_type", "PAL-"),
    (roles.PAL_REPRESENTATIVE, "/referrals/", "PAL-"),
    (roles.PAL_COORDINATOR, "/reports/performance/?period=all", "Seed"),
]


def test_it_leaves_the_list_pages_rendering(client):
    seed()  # once for all pages: seeding is the slow part
    for role, url, shows in PAGES:
        client.force_login(seeded(role))
        response = client.get(url)
        assert response.status_code == 200, url
        assert shows in response.content.decode(), url


def test_it_leaves_the_assister_portal_rendering(client):
    seed()
    referral = Referral.objects.filter(state=ReferralState.SENT).first()
    client.force_login(referral.organization.members.get())
    response = client.get("/portal/")
    assert response.status_code == 200


def test_it_fills_the_cases_copies_of_names_the_lists_sort_by():
    seed()
    copies = Case.objects.values_list(
        "csr_last_name", "csr_first_name", "team_name", "mco_name"
    ).order_by("pk")
    names = Case.objects.values_list(
        "csr__last_name", "csr__first_name", "team__name", "target_mco__name"
    ).order_by("pk")
    assert list(copies) == [tuple(name or "" for name in row) for row in names]
