"""Issue 13 in a real browser: a CSR on the phone finds the consumer's open case by MA number
from the header's search box and adds a comment; QC vets all 60 matching cases across three
pages at once."""

import pytest
from playwright.sync_api import expect

from cases.models import Case, Kind
from cases.states import State

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_csr_finds_the_open_case_by_ma_number_and_comments(
    page, live_server, login, shot, csr, log_case
):
    case = log_case(kind="for_cause")  # MA 10000000001, escalated: still open
    login(csr)
    search = page.get_by_role("search")
    search.get_by_label("Search cases, referrals and organizations").fill("1000 0000 001")
    search.get_by_label("Search cases, referrals and organizations").press("Enter")
    results = page.get_by_role("region", name="Cases")
    expect(results.get_by_role("link", name=case.number)).to_be_visible()
    expect(results).to_contain_text("Escalated")
    shot("search-by-ma-number")

    results.get_by_role("link", name=case.number).click()
    page.get_by_label("Comment").fill("Consumer called again; told them QC is on it.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".timeline")).to_contain_text("Consumer called again")
    shot("case-with-comment")


def test_qc_vets_all_sixty_matching_cases_across_three_pages(
    page, live_server, login, shot, qc_lead, make_cases
):
    make_cases(60, State.ESCALATED, kind=Kind.FOR_CAUSE)
    make_cases(3, State.ESCALATED)  # MCT Span: not matched by the filter
    login(qc_lead)
    page.goto(f"{live_server.url}/cases/qc/")
    page.select_option("select[name=kind]", label="For Cause Reason")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".pagination")).to_contain_text("3")
    page.get_by_label("Vet all 60 cases matching these filters").check()
    expect(page.locator(".selected-count")).to_have_text("(60 selected)")
    shot("all-matching-selected")
    page.get_by_role("button", name="Vet true: send to State Monitors").click()
    expect(page.locator(".messages")).to_contain_text("Vetted 60 case(s) true")
    assert Case.objects.filter(state=State.TRUE_TRACKER).count() == 60
    assert Case.objects.filter(state=State.ESCALATED, kind=Kind.MCT_SPAN).count() == 3
