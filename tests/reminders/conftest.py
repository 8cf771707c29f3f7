"""Reminder fixtures: two organizations, leads sent on chosen days, reports sent for a period,
and `run_on(day)` — `send_reminders` run at 7:00 Central on that day, its emails sent."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from referrals.models import AssisterReport, ReportingPeriod
from tests.conftest import make_user
from tracker import roles

CENTRAL = ZoneInfo("America/Chicago")
# A week with no holiday: Thursday 12/03/2026 … Monday 12/07/2026 … Friday 12/11/2026.
THU, FRI, SAT, SUN, MON, TUE, WED = (date(2026, 12, d) for d in (3, 4, 5, 6, 7, 8, 9))


def at(day: date, hour: int = 7) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=CENTRAL)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "https://tracker.example.org"
    settings.REMINDERS_OFF = []


@pytest.fixture
def lakes(make_org, assister_user):
    org = make_org("Lakes Area Navigators", counties=["Hennepin", "Ramsey"])
    org.members.add(assister_user)
    return org


@pytest.fixture
def metro(make_org, other_assister):
    org = make_org("Metro Navigator Network", counties=["Hennepin"])
    org.members.add(other_assister)
    return org


@pytest.fixture
def other_assister(db):
    return make_user("assister.metro", roles.ASSISTER)


@pytest.fixture
def coordinators(pal_coordinator):
    second = make_user("pal.coord2", roles.PAL_COORDINATOR)
    return [pal_coordinator, second]


@pytest.fixture
def lead(make_sent_referral, mailoutbox):
    """lead(org, sent_on): a lead really emailed, then dated as sent on that day (contact due
    two business days later); the lead email is cleared from the outbox."""

    def _make(organization, sent_on, **fields):
        referral = make_sent_referral(organization=organization, sent_on=sent_on, **fields)
        mailoutbox.clear()
        return referral

    return _make


@pytest.fixture
def report(db):
    """report(org, due_on, status="sent"): the organization's report for a period due then."""

    def _make(organization, due_on, status=AssisterReport.Status.SENT):
        from datetime import timedelta

        end = due_on - timedelta(days=14)
        period, _ = ReportingPeriod.objects.get_or_create(
            start=end - timedelta(days=13),
            end=end,
            defaults={"send_on": end + timedelta(days=7), "due_on": due_on},
        )
        return AssisterReport.objects.create(
            organization=organization, period=period, status=status
        )

    return _make


@pytest.fixture
def run_on(mailoutbox, django_capture_on_commit_callbacks):
    """run_on(day, *kinds) → the emails this run sent (the immediate backend, after commit)."""

    def _run(day, *kinds, hour=7):
        before = len(mailoutbox)
        with time_machine.travel(at(day, hour), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                args = [arg for kind in kinds for arg in ("--kind", kind)]
                call_command("send_reminders", *args, stdout=io.StringIO())
        return mailoutbox[before:]

    return _run
