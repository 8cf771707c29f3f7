from io import StringIO

import pytest
from django.core.management import call_command

from referrals.models import (
    AssisterOrganization,
    AssisterReport,
    County,
    Referral,
    ReportingPeriod,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("debug_on")]


def test_it_loads_pal_demo_data_idempotently(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())

    assert Referral.objects.count() == 11
    assert sorted(Referral.objects.values_list("state", flat=True)) == [
        "accepted",
        "accepted",
        "completed",
        "completed",
        "completed",
        "declined",
        "in_progress",
        "sent",
        "sent",
        "sent",
        "sent",
    ]
    # The demo calendar's first period holds two leads; their reports went out.
    assert ReportingPeriod.objects.count() == 5
    assert sorted(AssisterReport.objects.values_list("status", flat=True)) == ["sent", "sent"]
    assert AssisterOrganization.objects.filter(status="suspended").count() == 1
    assert set(AssisterOrganization.objects.values_list("kind", flat=True)) == {
        "navigator",
        "broker",
    }
    hennepin = County.objects.get(name="Hennepin")
    assert hennepin.organizations.filter(kind="broker", status="active").count() == 2


def test_the_sweep_command_sends_unsent_leads(
    make_org, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    from io import StringIO
    from unittest import mock

    broker = make_org("Metro Brokers", kind="broker")
    with mock.patch("referrals.delivery.enqueue"):
        with django_capture_on_commit_callbacks(execute=True):
            make_referral(organization=broker)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_leads", min_age_seconds=0, stdout=out)
    assert "1 lead deliveries enqueued" in out.getvalue()
    assert len(mailoutbox) == 1


def test_the_demo_plays_out_the_assister_loop_and_fills_the_scorecard(
    django_capture_on_commit_callbacks,
):
    """Issue 14: a new user finds leads in every step of the loop, and the scorecard's new
    figures — acceptance, a decline reason, an appointment in time, coverage by language — with
    something in them."""
    from datetime import timedelta

    from django.utils import timezone

    from reports.performance import scorecard

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=StringIO())

    declined = Referral.objects.get(state="declined")
    assert (declined.decline_reason, declined.declined_organization.name) == (
        "closed",
        "Lakes Area Navigator Collaborative",
    )
    in_progress = Referral.objects.get(state="in_progress")
    assert in_progress.appointment_on <= timezone.localdate(in_progress.created_at) + timedelta(
        days=14
    )
    assert Referral.objects.filter(state="completed", resolution="eligible_ma").count() == 3

    card = scorecard(list(ReportingPeriod.objects.order_by("start")))
    lakes = next(row for row in card.rows if row.name == "Lakes Area Navigator Collaborative")
    assert (lakes.accepted, lakes.declined, lakes.appointments_in_time) == (6, 1, 1)
    assert lakes.decline_reasons["closed"] == 1
    languages = {row.language: row for row in card.languages}
    assert sum(row.leads for row in card.languages) == card.total.leads == 10
    assert languages["Karen"].gap and languages["Hmong"].matched == 3
