"""Real-browser harness: Playwright driving Debian's Chromium against pytest-django's live server.

Every journey saves a screenshot of each page it visits under test-artifacts/ (git-ignored).
"""

import re
import shutil
from pathlib import Path

import pytest

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
    """shot("qc-queue") saves a full-page screenshot named after the test and the step."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1000))

    def _shot(step: str):
        page.screenshot(path=str(folder / f"{next(counter):02d}-{step}.png"), full_page=True)

    return _shot


@pytest.fixture
def login(page, live_server):
    """login(user) signs in through the real login form, logging out whoever was signed in."""

    def _login(user):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return _login


# Browser tests are transactional: each one ends with a flush, which also empties the data the
# migrations created (roles, permissions). `serialized_rollback=True` should reload them, but
# once Playwright's event loop runs, Django's connection object for the test thread is a new
# one without the serialized copy (it only happens after another DB test ran first), so the
# reload is silently skipped. Keep our own copy and reload it when the roles are missing.
@pytest.fixture(scope="session", autouse=True)
def _migrated_data(django_db_setup, django_db_blocker):
    from django.db import connections

    return {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }


@pytest.fixture(autouse=True)
def _reload_migrated_data(request, _migrated_data, django_db_blocker):
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    with django_db_blocker.unblock():
        if not Group.objects.exists():
            # The flush's post_migrate re-created content types and permissions under new keys;
            # drop them (the tables are otherwise empty) so the copy loads with its own keys.
            ContentType.objects.all().delete()
            ContentType.objects.clear_cache()
            for alias, contents in _migrated_data.items():
                if contents:
                    connections[alias].creation.deserialize_db_from_string(contents)
    yield
