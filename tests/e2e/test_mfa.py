"""A State Monitor signs in with the password and a code from their authenticator app, and
reaches the true tracker list with full identifiers."""

import pytest
from playwright.sync_api import expect

from cases import services
from tests.second_factor import authenticator_for, wrong_code
from tracker.mfa.devices import code_at

from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_signs_a_state_monitor_in_with_a_totp_code(
    page, live_server, shot, monitor, qc_lead, log_case
):
    case = services.case_vet_true(case=log_case(), by=qc_lead)
    device = authenticator_for(monitor)

    page.goto(f"{live_server.url}/cases/monitor/")
    page.fill("input[name=username]", monitor.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")

    page.wait_for_url(f"{live_server.url}/account/security/verify/**")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    expect(page.get_by_role("link", name="True tracker cases")).to_have_count(0)  # no way past
    shot("code-page")
    page.fill("input[name=code]", wrong_code(device))
    page.click("main button[type=submit]")
    # Shown by the field and, as a link to it, in the error summary at the top of the form.
    expect(page.locator("#id_code_error")).to_contain_text("That code is not right")
    expect(page.locator(".error-summary a[href='#id_code']")).to_be_visible()
    shot("wrong-code")

    # The throttle after one wrong code is one second; the app would say so if it were sooner.
    page.wait_for_timeout(1100)
    page.fill("input[name=code]", code_at(device))  # what the phone shows now
    page.click("main button[type=submit]")

    page.wait_for_url(f"{live_server.url}/cases/monitor/")
    expect(page.get_by_role("heading", name="True tracker cases")).to_be_visible()
    row = page.locator("table tbody tr", has_text=case.number)
    expect(row).to_contain_text("123-45-6789")
    shot("true-tracker-list")
