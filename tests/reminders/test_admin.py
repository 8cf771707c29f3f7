"""Django admin → Reminders: read only, for Admins."""

import pytest
from django.urls import reverse

from reminders.models import Reminder

from .conftest import MON, THU

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(lakes, lead, run_on):
    lead(lakes, THU)
    run_on(MON)
    return Reminder.objects.get()


def test_it_lists_reminders_read_only_for_an_admin(client, admin_user, sent, lakes):
    client.force_login(admin_user)

    listing = client.get(reverse("admin:reminders_reminder_changelist"))
    assert listing.status_code == 200
    assert lakes.lead_email in listing.content.decode()
    page = client.get(reverse("admin:reminders_reminder_change", args=[sent.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:reminders_reminder_add")).status_code == 403
    delete = reverse("admin:reminders_reminder_delete", args=[sent.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Reminder.objects.filter(pk=sent.pk).exists()


def test_someone_without_access_is_refused(client, pal_coordinator, sent):
    client.force_login(pal_coordinator)

    response = client.get(reverse("admin:reminders_reminder_changelist"))
    assert response.status_code in (302, 403)
