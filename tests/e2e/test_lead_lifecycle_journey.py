"""Issue 14's journey in the browser: an assister declines a lead with a reason → a coordinator
reassigns it from the declined list → the second organization accepts it, records the contact
and an appointment, then the resolution → the scorecard shows all of it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import Referral
from referrals.reporting import create_reporting_periods
from referrals.states import State
from tracker import roles

from ..conftest import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_declined_lead_is_reassigned_accepted_worked_and_scored(
    page, live_server, login, shot, pal_coordinator, assister_user, make_org, make_sent_referral
):
    today = timezone.localdate()
    create_reporting_periods(
        start=today - timedelta(days=7), first_end=today + timedelta(days=6), length=14, count=1
    )
    lakes = make_org("Lakes Area Navigators", counties=["Hennepin"])
    lakes.members.add(assister_user)
    north = make_org("North Star Navigators", counties=["Hennepin"])
    north_assister = make_user("north.assister", roles.ASSISTER)
    north.members.add(north_assister)
    lead = make_sent_referral(organization=lakes, consumer_name="Ahmed Warsame")
    assert lead.state == State.SENT

    # Lakes cannot take it: declined with a reason, it leaves their list.
    login(assister_user)
    page.get_by_role("link", name="My leads").first.click()
    page.get_by_role("link", name=lead.number).click()
    decline = page.locator('form[data-step="decline"]')
    decline.get_by_label("Why can you not take this lead?").select_option(
        label="No capacity for an appointment within two weeks"
    )
    decline.get_by_label("Anything the coordinators should know").fill("Full until next month")
    shot("assister-declines")
    decline.get_by_role("button", name="Decline the lead").click()
    expect(page.get_by_text(f"{lead.number} declined")).to_be_visible()
    expect(page.locator("#leads")).not_to_contain_text("Ahmed Warsame")

    # The coordinator finds it among the declined leads, with the reason, and reassigns it.
    login(pal_coordinator)
    expect(page.locator('[data-queue="referrals:declined"]')).to_have_text("1")
    page.get_by_role("link", name="Declined leads to reassign").click()
    row = page.locator("tr", has_text="Ahmed Warsame")
    expect(row).to_contain_text("No capacity for an appointment within two weeks")
    shot("coordinator-declined-list")
    row.get_by_role("link").first.click()
    expect(page.locator("#declined")).to_contain_text("Full until next month")
    reassign = page.locator('form[data-action="reassign"]')
    reassign.get_by_label("North Star Navigators", exact=False).check()
    reassign.get_by_label("Reason").fill("North has room this week")
    shot("coordinator-reassigns")
    reassign.get_by_role("button", name="Reassign to another organization").click()
    expect(page.locator("#referral-state")).to_have_text("Sent")

    # North accepts, reaches the consumer, books an appointment, then records the resolution.
    login(north_assister)
    page.get_by_role("link", name="My leads").first.click()
    page.get_by_role("link", name=lead.number).click()
    page.get_by_role("button", name="Accept the lead").click()
    expect(page.locator("#lead-state")).to_have_text("Accepted")
    contact = page.locator('form[data-step="contact"]')
    contact.get_by_label("Contact Date").fill(today.isoformat())
    contact.get_by_label("Appointment date").fill((today + timedelta(days=7)).isoformat())
    shot("assister-records-contact")
    contact.get_by_role("button", name="Save the contact").click()
    expect(page.locator("#lead-state")).to_have_text("In progress")
    expect(page.locator("#appointment")).to_contain_text("within two weeks of the referral")
    resolution = page.locator('form[data-step="resolution"]')
    resolution.get_by_label("Resolution").select_option(label="Eligible for MA")
    resolution.get_by_label("Comments").fill("Renewed MA at the library")
    resolution.get_by_role("button", name="Save the resolution").click()
    expect(page.locator("#lead-state")).to_have_text("Completed")
    shot("assister-completed")

    # The scorecard: North accepted its lead and booked the appointment in time; Lakes declined.
    login(pal_coordinator)
    page.get_by_role("link", name="Performance").first.click()
    page.get_by_label("Reporting period").select_option(label="All periods")
    page.get_by_role("button", name="Show").click()
    acceptance = page.locator("#acceptance")
    north_row = acceptance.locator('tbody tr[data-organization="North Star Navigators"]')
    expect(north_row.locator('[data-figure="accepted"]')).to_have_text("1")
    expect(north_row.locator('[data-figure="acceptance_pct"]')).to_have_text("100.0")
    expect(north_row.locator('[data-figure="appointments_in_time"]')).to_have_text("1")
    lakes_row = acceptance.locator('tbody tr[data-organization="Lakes Area Navigators"]')
    expect(lakes_row.locator('[data-figure="declined"]')).to_have_text("1")
    expect(lakes_row.locator('[data-figure="acceptance_pct"]')).to_have_text("0.0")
    expect(page.locator('#decline-reasons tr[data-reason="no_capacity"] td')).to_have_text("1")
    shot("scorecard")

    lead = Referral.objects.get(pk=lead.pk)
    assert (lead.state, lead.organization, lead.declined_organization) == (
        State.COMPLETED,
        north,
        lakes,
    )
