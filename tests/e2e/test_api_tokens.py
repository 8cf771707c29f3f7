"""Issue 15 in a browser: a PAL Coordinator creates an organization's API token (the form with
its errors, the key shown once), sees it listed and revokes it, all with axe on a 390 px
screen; the API docs page runs Swagger UI under our CSP from our own static files."""

import pytest

from tracker import roles

from .axe import assert_accessible
from .test_accessibility import PHONE_WIDTH

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_coordinator_creates_and_revokes_a_token(
    page, live_server, login, pal_coordinator, make_org
):
    org = make_org("Northside Navigators")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    login(pal_coordinator)
    page.click("nav >> text=API tokens")
    assert_accessible(page)
    _fits(page)

    page.click("text=Create a token")
    page.click("main button[type=submit]")  # nothing filled in
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)
    _fits(page)

    page.fill("input[name=name]", "Northside script")
    page.select_option("select[name=role]", roles.ASSISTER)
    page.select_option("select[name=organization]", str(org.pk))
    page.click("main button[type=submit]")
    key = page.input_value("#token-key")
    assert len(key) >= 43
    assert_accessible(page)
    _fits(page)

    page.click("text=Back to the API tokens")
    assert key not in page.content() and key[:8] in page.content()
    page.click("text=Revoke “Northside script”")
    assert_accessible(page)
    page.click("main button[type=submit]")
    assert page.locator("text=revoked").count() >= 1
    assert_accessible(page)


def test_the_docs_page_runs_under_the_csp(page, live_server, login, csr):
    blocked = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: blocked.append(f"page error: {error}"))
    external = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    login(csr)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    assert page.locator(".opblock-summary-path", has_text="/api/v1/cases").count() >= 1
    assert blocked == [] and external == []
