"""`manage.py send_reminders`: each reminder once, on the right day, to the right reader,
however often it runs; each kind can be turned off."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from referrals import delivery, services
from referrals.models import AssisterOrganization, AssisterReport
from reminders.checks import check_reminders_off
from reminders.kinds import Kind
from reminders.models import Reminder

from .conftest import FRI, MON, SAT, SUN, THU, TUE, WED, at

pytestmark = pytest.mark.django_db


def kinds_of(emails):
    return sorted(email.extra_headers["X-PAL-Reminder"] for email in emails)


def by_recipient(emails):
    return {tuple(email.to): email for email in emails}


@pytest.fixture
def failed_lead(make_referral, mailoutbox):
    """A lead whose delivery failed for good (its organization was suspended before it went)."""

    def _make(organization):
        referral = make_referral(organization=organization)
        AssisterOrganization.objects.filter(pk=organization.pk).update(status="suspended")
        delivery.deliver(referral.deliveries.get().pk)
        AssisterOrganization.objects.filter(pk=organization.pk).update(status="active")
        referral.refresh_from_db()
        assert referral.state == "failed"
        mailoutbox.clear()
        return referral

    return _make


# ---- contact due today (to the organization) -------------------------------------------------
def test_it_reminds_each_organization_once_on_the_morning_its_contacts_are_due(
    lakes, metro, lead, run_on
):
    lakes_monday = [lead(lakes, THU), lead(lakes, THU)]
    metro_monday = lead(metro, THU)
    lakes_tuesday = lead(lakes, FRI)

    monday = by_recipient(run_on(MON, Kind.CONTACT_DUE))

    assert set(monday) == {(lakes.lead_email,), (metro.lead_email,)}
    lakes_email = monday[(lakes.lead_email,)]
    for referral in lakes_monday:
        assert referral.number in lakes_email.body
    assert lakes_tuesday.number not in lakes_email.body
    assert metro_monday.number in monday[(metro.lead_email,)].body
    assert "due today" in lakes_email.subject

    assert run_on(MON, Kind.CONTACT_DUE) == []
    assert run_on(MON, Kind.CONTACT_DUE, hour=15) == []
    (tuesday,) = run_on(TUE, Kind.CONTACT_DUE)
    assert tuesday.to == [lakes.lead_email]
    assert lakes_tuesday.number in tuesday.body
    assert lakes_monday[0].number not in tuesday.body  # overdue now: the coordinators' digest
    assert run_on(TUE, Kind.CONTACT_DUE) == []
    assert run_on(WED, Kind.CONTACT_DUE) == []


def test_it_writes_to_the_designated_contact_as_it_is_when_the_email_goes_out(lakes, lead, run_on):
    lead(lakes, THU)
    AssisterOrganization.objects.filter(pk=lakes.pk).update(lead_email="intake@lakes.example.org")

    (email,) = run_on(MON)
    assert email.to == ["intake@lakes.example.org"]


def test_it_does_not_remind_of_a_lead_whose_contact_is_reported(
    lakes, lead, run_on, pal_coordinator
):
    referral = lead(lakes, THU)
    with time_machine.travel(at(FRI, 10), tick=False):
        services.referral_report_outcome(
            referral=referral,
            by=pal_coordinator,
            contact_made=True,
            contact_date=FRI,
            resolution="enrolled_qhp",
        )

    assert run_on(MON) == []


# ---- overdue digest (to the coordinators) ----------------------------------------------------
def test_it_sends_the_coordinators_one_digest_for_many_overdue_leads(
    lakes, metro, lead, run_on, coordinators
):
    overdue = [
        lead(lakes, date(2026, 12, 1)),
        lead(lakes, WED - timedelta(days=7)),
        lead(metro, WED - timedelta(days=7)),
    ]
    lead(lakes, THU)  # due today: not overdue

    (digest,) = run_on(MON, Kind.OVERDUE_DIGEST)

    assert sorted(digest.to) == sorted(user.email for user in coordinators)
    assert "3 leads with contact overdue" in digest.subject
    for referral in overdue:
        assert referral.number in digest.body
    assert run_on(MON, Kind.OVERDUE_DIGEST) == []
    (tuesday,) = run_on(TUE, Kind.OVERDUE_DIGEST)  # still overdue the next business day
    assert "4 leads" in tuesday.subject  # Thursday's lead was due Monday


@pytest.mark.parametrize("day", [SAT, SUN, date(2026, 11, 26)])
def test_it_sends_no_digest_on_a_weekend_or_a_minnesota_holiday(
    lakes, lead, run_on, coordinators, day
):
    lead(lakes, date(2026, 11, 16))

    assert run_on(day, Kind.OVERDUE_DIGEST) == []
    assert len(run_on(MON, Kind.OVERDUE_DIGEST)) == 1


def test_it_reminds_of_a_contact_due_after_a_holiday_weekend_on_its_due_day(lakes, lead, run_on):
    # Sent the day before Thanksgiving (a holiday): due the Monday after.
    referral = lead(lakes, date(2026, 11, 25))
    assert referral.contact_due_on == date(2026, 11, 30)

    for day in [date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 28)]:
        assert run_on(day, Kind.CONTACT_DUE) == []
    (email,) = run_on(date(2026, 11, 30), Kind.CONTACT_DUE)
    assert referral.number in email.body


# ---- reports ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "due_on, too_early, notice_day",
    [
        (MON, date(2026, 12, 2), THU),  # Monday's report: the Thursday before, not Saturday
        (WED, FRI, MON),
        # The Monday after Thanksgiving (a holiday): the Wednesday before.
        (date(2026, 11, 30), date(2026, 11, 24), date(2026, 11, 25)),
    ],
)
def test_it_reminds_an_organization_two_business_days_before_its_report_is_due(
    lakes, report, run_on, due_on, too_early, notice_day
):
    the_report = report(lakes, due_on)

    assert run_on(too_early, Kind.REPORT_DUE) == []
    (email,) = run_on(notice_day, Kind.REPORT_DUE)
    assert email.to == [lakes.lead_email]
    assert reverse("reports:assister_report", args=[the_report.pk]) in email.body
    assert run_on(notice_day, Kind.REPORT_DUE) == []
    assert run_on(due_on, Kind.REPORT_DUE) == []


def test_it_makes_up_a_missed_notice_day_until_the_due_date(lakes, report, run_on):
    report(lakes, WED)

    assert len(run_on(TUE, Kind.REPORT_DUE)) == 1  # the run on Monday did not happen


@pytest.mark.parametrize("status", [AssisterReport.Status.PENDING, AssisterReport.Status.RETURNED])
def test_it_does_not_chase_a_report_not_sent_or_already_returned(
    lakes, report, run_on, coordinators, status
):
    report(lakes, FRI, status=status)

    for day in [THU, SAT, MON]:
        assert run_on(day) == []


def test_it_alerts_the_coordinators_and_reminds_the_organization_once_a_report_is_overdue(
    lakes, metro, report, run_on, coordinators
):
    lakes_report, metro_report = report(lakes, FRI), report(metro, FRI)

    assert run_on(FRI, Kind.REPORT_OVERDUE, Kind.REPORT_OVERDUE_ALERT) == []
    emails = run_on(SAT, Kind.REPORT_OVERDUE, Kind.REPORT_OVERDUE_ALERT)

    assert kinds_of(emails) == ["report_overdue", "report_overdue", "report_overdue_alert"]
    sent = by_recipient(emails)
    assert set(sent) == {
        (lakes.lead_email,),
        (metro.lead_email,),
        tuple(sorted(user.email for user in coordinators)),
    }
    alert = sent[tuple(sorted(user.email for user in coordinators))]
    assert "2 Preferred Assister Reports overdue" in alert.subject
    assert lakes.name in alert.body and metro.name in alert.body
    for day in [SAT, SUN, MON, TUE]:
        assert run_on(day, Kind.REPORT_OVERDUE, Kind.REPORT_OVERDUE_ALERT) == []
    assert Reminder.objects.filter(report=lakes_report).count() == 2
    assert Reminder.objects.filter(report=metro_report).count() == 2


def test_it_does_not_chase_reports_overdue_before_the_lookback(lakes, report, run_on, coordinators):
    report(lakes, MON - timedelta(days=45))

    assert run_on(MON) == []


# ---- failed delivery (to the coordinators) ---------------------------------------------------
def test_it_alerts_the_coordinators_once_per_failed_delivery(
    lakes, failed_lead, run_on, coordinators, pal_coordinator, django_capture_on_commit_callbacks
):
    referral = failed_lead(lakes)

    (alert,) = run_on(MON, Kind.DELIVERY_FAILED)
    assert referral.number in alert.body
    assert sorted(alert.to) == sorted(user.email for user in coordinators)
    assert run_on(MON, Kind.DELIVERY_FAILED) == []
    assert run_on(TUE, Kind.DELIVERY_FAILED) == []

    # Resent and failed again: a new delivery, a new alert.
    services.referral_resend(referral=referral, by=pal_coordinator)
    AssisterOrganization.objects.filter(pk=lakes.pk).update(status="suspended")
    delivery.deliver(referral.deliveries.latest("pk").pk)
    assert len(run_on(TUE, Kind.DELIVERY_FAILED)) == 1


def test_it_does_not_alert_of_a_failed_lead_already_resent(
    lakes, failed_lead, run_on, coordinators, pal_coordinator
):
    referral = failed_lead(lakes)
    services.referral_resend(referral=referral, by=pal_coordinator)

    assert run_on(MON, Kind.DELIVERY_FAILED) == []


# ---- every kind, on and off ------------------------------------------------------------------
@pytest.fixture
def monday_of_everything(lakes, metro, lead, report, failed_lead, coordinators):
    """On Monday every kind has something to say."""
    lead(lakes, THU)  # contact due Monday
    lead(metro, date(2026, 12, 1))  # overdue since Friday
    report(lakes, WED)  # due in two business days
    report(metro, FRI)  # overdue
    failed_lead(metro)


ALL_KINDS = sorted(
    [
        "contact_due",
        "overdue_digest",
        "report_due",
        "report_overdue",
        "report_overdue_alert",
        "delivery_failed",
    ]
)


def test_it_sends_every_kind_when_none_is_off(monday_of_everything, run_on):
    assert kinds_of(run_on(MON)) == ALL_KINDS
    assert run_on(MON) == []


@pytest.mark.parametrize("off", Kind.values)
def test_it_leaves_out_a_kind_named_in_reminders_off(monday_of_everything, run_on, settings, off):
    settings.REMINDERS_OFF = [off]

    assert kinds_of(run_on(MON)) == [kind for kind in ALL_KINDS if kind != off]
    assert not Reminder.objects.filter(kind=off).exists()

    settings.REMINDERS_OFF = []  # turned on again: sent once, like any other
    assert kinds_of(run_on(MON)) == [off]


def test_it_says_which_kinds_are_off(settings, db):
    settings.REMINDERS_OFF = ["overdue_digest"]
    out = io.StringIO()

    call_command("send_reminders", stdout=out)

    assert "overdue_digest: off (REMINDERS_OFF)" in out.getvalue()
    assert "contact_due: 0 new" in out.getvalue()


def test_it_refuses_an_unknown_kind_in_reminders_off():
    with override_settings(REMINDERS_OFF=["contact_due", "digest"]):
        (error,) = check_reminders_off(None)
    assert "digest" in error.msg and error.id == "reminders.E001"
    with override_settings(REMINDERS_OFF=["contact_due"]):
        assert check_reminders_off(None) == []


def test_it_names_an_unknown_kind_on_the_command_line(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="invalid choice: 'digest'"):
        call_command("send_reminders", "--kind", "digest", stdout=io.StringIO())
    assert not Reminder.objects.exists()
