"""Issue 16: the How it works page in a real browser — reached from the header, passes axe at
WCAG 2.1 AA, and at 390 px the diagrams scroll inside their card (reachable by keyboard) while
the page itself stays as wide as the phone."""

import pytest
from playwright.sync_api import expect

from tracker.roles import ASSISTER, CSR

from ..conftest import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", [CSR, ASSISTER])
def test_it_shows_both_workflows_to_a_signed_in_role(page, live_server, login, shot, role):
    login(make_user("someone", role))
    page.get_by_role("link", name="How it works").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How it works")
    expect(
        page.get_by_role("img", name="MCO Manual Tracker case: states and transitions")
    ).to_be_visible()
    expect(page.get_by_role("img", name="PAL referral: states and transitions")).to_be_visible()
    expect(
        page.get_by_role("table", name="PAL referral: every transition (the diagram in words)")
    ).to_be_visible()
    shot("desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    diagram = page.locator(".diagram").first
    assert diagram.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls, not the page
    # scroll-regions.js gave the scrolling diagram a tab stop and a name (WCAG 2.1.1).
    expect(diagram).to_have_attribute("tabindex", "0")
    expect(diagram).to_have_attribute("aria-label", "MCO Manual Tracker case: diagram")
    shot("phone")
