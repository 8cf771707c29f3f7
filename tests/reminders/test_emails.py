"""What reminders say: lead numbers, dates and links behind login, never the consumer's details,
whatever LEAD_EMAIL_DETAIL allows the lead email itself."""

import pytest
from django.urls import reverse

from .conftest import MON

pytestmark = pytest.mark.django_db

CONSUMER = {
    "consumer_name": "Maria O'Brien-Lopez",
    "phone": "612-555-0142",
    "email": "maria.obrien@example.org",
    "reason_for_help": "Wants help comparing QHP plans in person",
    "guidance_given": "Explained the PAL program",
}


@pytest.fixture
def every_email(monday_everything_for, run_on):
    def _emails(detail, settings):
        settings.LEAD_EMAIL_DETAIL = detail
        leads = monday_everything_for(CONSUMER)
        return leads, run_on(MON)

    return _emails


@pytest.fixture
def monday_everything_for(lakes, metro, lead, report, coordinators, make_referral, mailoutbox):
    from datetime import date

    from referrals import delivery
    from referrals.models import AssisterOrganization

    from .conftest import FRI, THU, WED

    def _make(consumer):
        due = lead(lakes, THU, **consumer)
        overdue = lead(metro, date(2026, 12, 1), **consumer)
        report(lakes, WED)
        report(metro, FRI)
        failed = make_referral(organization=metro, **consumer)
        AssisterOrganization.objects.filter(pk=metro.pk).update(status="suspended")
        delivery.deliver(failed.deliveries.get().pk)
        AssisterOrganization.objects.filter(pk=metro.pk).update(status="active")
        mailoutbox.clear()
        return {"due": due, "overdue": overdue, "failed": failed}

    return _make


@pytest.mark.parametrize("detail", ["full", "minimal"])
def test_it_keeps_consumer_details_out_of_every_reminder(every_email, settings, detail):
    _leads, emails = every_email(detail, settings)

    assert len(emails) == 6
    for email in emails:
        html = email.alternatives[0][0]
        for part in [email.subject, email.body, html]:
            for value in CONSUMER.values():
                assert value not in part, (email.subject, value)
            assert "O&#x27;Brien" not in part


def test_it_links_assisters_to_the_portal_and_coordinators_to_the_referral(every_email, settings):
    leads, emails = every_email("full", settings)
    by_kind = {email.extra_headers["X-PAL-Reminder"]: email for email in emails}
    site = "https://tracker.example.org"

    portal = site + reverse("portal:lead", args=[leads["due"].pk])
    assert portal in by_kind["contact_due"].body
    assert f'href="{portal}"' in by_kind["contact_due"].alternatives[0][0]
    detail = site + reverse("referrals:detail", args=[leads["overdue"].pk])
    assert detail in by_kind["overdue_digest"].body
    assert site + reverse("referrals:detail", args=[leads["failed"].pk]) in (
        by_kind["delivery_failed"].body
    )
    for kind in ["contact_due", "report_due", "report_overdue"]:
        assert by_kind[kind].reply_to == ["assisterleads@mnsure.org"]


def test_it_names_the_organization_plainly_in_text_and_escapes_it_in_html(make_org, lead, run_on):
    org = make_org("O'Brien & Sons <Navigators>")
    lead(org, MON.replace(day=3))

    (email,) = run_on(MON)
    assert "O'Brien & Sons <Navigators>" in email.body
    assert "O&#x27;Brien &amp; Sons &lt;Navigators&gt;" in email.alternatives[0][0]
