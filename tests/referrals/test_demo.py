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

    assert Referral.objects.count() == 4
    assert sorted(Referral.objects.values_list("state", flat=True)) == [
        "completed",
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
