"""Under the Content-Security-Policy our own scripts and the Django admin's still run, and the
browser reports no blocked script, style or resource."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_violations(page):
    """Every CSP violation Chromium reports on the pages this test opens."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    return found


def test_it_runs_our_scripts_and_the_admins_under_the_csp(
    page, live_server, login, shot, admin_user, log_case, csp_violations
):
    case = log_case()
    login(admin_user)

    page.goto(f"{live_server.url}/cases/new/mct_span/")
    page.click("#add-participant")  # static/js/intake.js
    assert page.locator(".participant-row:not([hidden])").count() == 2
    page.goto(f"{live_server.url}/cases/qc/")
    page.locator("input[data-select-all]").check()  # static/js/select-all.js
    assert page.locator("input[name=selection]:checked").count() == 1
    page.goto(f"{live_server.url}/admin/cases/providertermination/add/")
    page.locator(".datetimeshortcuts a", has_text="Today").first.click()  # admin's calendar JS
    assert page.locator("#id_window_start").input_value() != ""
    # No axe here: axe's own injected checks set inline styles, which the CSP rightly blocks.
    shot("admin-add-with-calendar", axe=False)
    page.goto(f"{live_server.url}/admin/cases/case/")
    page.goto(f"{live_server.url}/admin/cases/case/{case.pk}/change/")
    page.goto(f"{live_server.url}/admin/tracker/user/add/")
    page.goto(f"{live_server.url}/reports/performance/")

    assert csp_violations == []
