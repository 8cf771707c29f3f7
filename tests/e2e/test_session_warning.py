import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_warns_before_the_idle_timeout_and_keeps_the_session_from_the_keyboard(
    page, live_server, login, shot, csr, settings
):
    # One idle minute, warned 58 seconds before: the warning comes two seconds after the page.
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    settings.SESSION_IDLE_WARNING_SECONDS = 58
    login(csr)
    warning = page.get_by_role("alertdialog", name="Are you still there?")
    expect(warning).to_be_visible(timeout=10_000)
    stay = warning.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    shot("warning")

    with page.expect_response("**/signin/stay/") as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    expect(warning).to_be_hidden()
    assert page.url == f"{live_server.url}/"
