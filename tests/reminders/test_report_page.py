"""The Preferred Assister Report page lists the reminders about the report: the organization's
own to its assisters, the coordinators' alerts too to coordinators."""

import pytest
from django.urls import reverse

from .conftest import FRI, SAT

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_report(lakes, report, run_on, coordinators):
    the_report = report(lakes, FRI)
    run_on(SAT)
    return the_report


def page(client, user, report):
    client.force_login(user)
    return client.get(reverse("reports:assister_report", args=[report.pk]))


def test_it_shows_coordinators_every_reminder_about_the_report(
    client, pal_coordinator, overdue_report, lakes
):
    response = page(client, pal_coordinator, overdue_report)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Report overdue: reminder to the organization" in html
    assert "Report overdue: alert to PAL Coordinators" in html
    assert f"Emailed to {lakes.lead_email}" in html


def test_it_shows_the_assister_only_what_was_sent_to_their_organization(
    client, assister_user, overdue_report
):
    response = page(client, assister_user, overdue_report)

    html = response.content.decode()
    assert "Report overdue: reminder to the organization" in html
    assert "alert to PAL Coordinators" not in html
    assert "pal.coord@example.org" not in html


def test_it_says_when_no_reminder_was_sent(client, pal_coordinator, lakes, report):
    response = page(client, pal_coordinator, report(lakes, FRI))

    assert "No reminders sent about this report." in response.content.decode()


def test_another_organizations_assister_is_refused(client, other_assister, metro, overdue_report):
    assert page(client, other_assister, overdue_report).status_code == 404


def test_someone_without_reports_is_refused(client, pal_rep, overdue_report):
    assert page(client, pal_rep, overdue_report).status_code == 403
