"""Issue 17 part 3: journeys with the keyboard alone (Tab, Space, Enter, typing; no clicks) —
log a case with two participants, and record an outcome in the assister portal. Vetting three
cases from the QC queue by keyboard is in test_accessibility.py."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from tracker.models import User

from .axe import assert_accessible
from .test_accessibility import _demo_passwords, _Quiet, _tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _type_into(page, name, text):
    _tab_to(page, f"el.name === {name!r}")
    page.keyboard.type(text)


def test_it_logs_a_case_and_records_an_outcome_with_the_keyboard_only(
    page, live_server, login, debug_on
):
    call_command("demo", stdout=_Quiet())
    _demo_passwords()

    login(User.objects.get(username="csr.alice"))
    page.goto(f"{live_server.url}/cases/new/mct_span/")
    _type_into(page, "participants-0-name", "Nora Keyboard")
    _type_into(page, "participants-0-ma_number", "10000000091")
    _type_into(page, "participants-0-ssn", "323456791")
    _tab_to(page, "el.id === 'add-participant'")
    page.keyboard.press("Enter")
    _type_into(page, "participants-1-name", "Ned Keyboard")
    _type_into(page, "participants-1-ma_number", "10000000092")
    _type_into(page, "participants-1-ssn", "323456792")
    _tab_to(page, "el.name === 'target_mco'")
    page.keyboard.type("Priority Partners")  # a closed <select> picks the option typed
    _type_into(page, "consumer_phone", "612-555-0191")
    _tab_to(page, "el.type === 'submit' && el.textContent.includes('Log the case')")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("logged")
    case = Case.objects.order_by("-pk").first()
    assert sorted(p.name for p in case.participants.all()) == ["Ned Keyboard", "Nora Keyboard"]
    assert case.target_mco.name == "Priority Partners"
    assert_accessible(page)

    login(User.objects.get(username="assister"))
    page.goto(f"{live_server.url}/portal/")
    _tab_to(page, "el.matches('main a[href*=\"/portal/leads/\"]')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/leads/**")
    lead_number = page.locator("h1").inner_text().split(" ")[0]
    _tab_to(page, "el.name === 'contact_made' && el.value === 'Y'")
    page.keyboard.press("Space")
    _tab_to(page, "el.name === 'contact_date'")
    page.keyboard.type(timezone.localdate().strftime("%m%d%Y"))
    _tab_to(page, "el.name === 'resolution'")
    page.keyboard.type("Enrolled in QHP")
    _type_into(page, "comments", "Reached by phone; typed with the keyboard")
    _tab_to(page, "el.type === 'submit' && el.textContent.includes('Save the outcome')")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(f"{lead_number}: outcome recorded.")
    assert_accessible(page)
