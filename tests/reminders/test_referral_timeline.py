"""The referral page's timeline shows each reminder about the lead: what, when, to whom."""

import pytest
from django.urls import reverse

from reminders.models import Reminder

from .conftest import MON, THU, TUE

pytestmark = pytest.mark.django_db


def test_it_shows_the_reminders_about_the_lead_on_its_timeline(
    client, pal_coordinator, lakes, lead, run_on, coordinators
):
    referral = lead(lakes, THU)
    run_on(MON)
    run_on(TUE)
    client.force_login(pal_coordinator)

    html = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()

    assert "Contact due today: reminder to the organization" in html
    assert f"Emailed to {lakes.lead_email}" in html
    assert "Listed in the PAL Coordinators&#x27; overdue-contact digest" in html
    assert "reminder for 12/08/2026" in html


def test_it_says_when_a_reminder_could_not_be_sent(
    client, pal_coordinator, lakes, lead, run_on, settings
):
    referral = lead(lakes, THU)
    settings.EMAIL_BACKEND = "tests.reminders.test_referral_timeline.BrokenBackend"
    run_on(MON)
    client.force_login(pal_coordinator)

    html = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()

    assert Reminder.objects.get().attempts == 1
    assert "Not sent yet (OSError: mail server down); tried again on the next run." in html


def test_someone_without_access_to_the_lead_is_refused(
    client, other_assister, metro, lakes, lead, run_on
):
    referral = lead(lakes, THU)
    run_on(MON)
    client.force_login(other_assister)

    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code in (403, 404)


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")
