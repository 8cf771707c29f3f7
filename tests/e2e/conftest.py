"""Real-browser harness: Playwright driving Debian's Chromium against pytest-django's live server.

Every journey saves a screenshot of each page it visits under test-artifacts/ (git-ignored) and
runs axe on it (tests/e2e/axe.py).
"""

import re
import shutil
from pathlib import Path

import pytest

from ..second_factor import authenticator_for, must_use_second_factor, usable_code
from .axe import assert_accessible

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "pw-for-tests-123"  # tests/conftest.py make_user


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def shot(page, request):
    """shot("qc-queue") saves a full-page screenshot named after the test and the step, and checks
    the page with axe (issue 17): every page a journey photographs passes WCAG 2.1 A/AA."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1000))

    def _shot(step: str, axe: bool = True):
        page.screenshot(path=str(folder / f"{next(counter):02d}-{step}.png"), full_page=True)
        if axe:
            assert_accessible(page)

    return _shot


@pytest.fixture
def login(page, live_server):
    """login(user) signs in through the real login form, logging out whoever was signed in;
    users who must use a second factor then type their authenticator's current code."""

    def _login(user):
        device = authenticator_for(user) if must_use_second_factor(user) else None
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        if device is not None:
            page.wait_for_url(f"{live_server.url}/account/security/verify/**")
            page.fill("input[name=code]", usable_code(device))
            page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return _login
