"""AC-11/12: 15 minutes idle with a warning, 12 hours at most, and ends with the browser."""

from datetime import timedelta

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def alice(client, csr, traveller):
    client.force_login(csr)
    return client


def test_it_keeps_an_active_session(alice, traveller):
    for _ in range(8):  # two hours of a request every 14 minutes
        traveller.shift(timedelta(minutes=14))
        assert alice.get("/").status_code == 200


def test_it_signs_out_after_fifteen_idle_minutes_and_says_so(alice, traveller):
    traveller.shift(timedelta(minutes=15, seconds=1))
    response = alice.get("/cases/mine/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/cases/mine/"
    assert not signed_in(alice)
    page = alice.get(response.url).content.decode()
    assert "You were signed out after 15 minutes without activity." in page


def test_it_reads_the_idle_timeout_from_settings(alice, traveller, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    traveller.shift(timedelta(minutes=5, seconds=1))
    response = alice.get("/", follow=True)
    assert b"You were signed out after 5 minutes without activity." in response.content


def test_it_signs_out_twelve_hours_after_sign_in_however_active(alice, traveller):
    for _ in range(51):  # a request every 14 minutes, for 11h54m
        traveller.shift(timedelta(minutes=14))
        assert alice.get("/").status_code == 200
    traveller.shift(timedelta(minutes=6, seconds=1))  # 12h00m01s after sign-in, 6 minutes idle
    response = alice.get("/")
    assert response.status_code == 302
    assert not signed_in(alice)
    page = alice.get(response.url).content.decode()
    assert "You were signed out because 12 hours have passed since you signed in." in page


def test_it_ends_the_session_when_the_browser_closes(client, csr, right_password):
    response = client.post("/login/", {"username": "csr.alice", "password": right_password})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie


def test_it_signs_out_a_session_from_before_the_limits(client, csr):
    client.force_login(csr)
    session = client.session
    del session["signin_at"]
    session.save()
    response = client.get("/", follow=True)
    assert b"Your session has ended. Please sign in again." in response.content


# ---- the warning and "Stay signed in" -----------------------------------------------------------
def test_it_renders_the_warning_for_the_script_without_inline_code(alice):
    page = alice.get("/").content.decode()
    assert 'id="session-warning"' in page
    assert 'data-idle-seconds-left="900"' in page
    assert 'data-absolute-seconds-left="43200"' in page
    assert 'data-warning-seconds="60"' in page
    assert '<script src="/static/js/session-timeout.js" defer></script>' in page
    assert "<script>" not in page and 'style="' not in page


def test_it_counts_the_page_down_from_the_last_recorded_activity(alice, traveller):
    traveller.shift(timedelta(seconds=20))  # activity is recorded at most every 30 seconds
    page = alice.get("/").content.decode()
    assert 'data-idle-seconds-left="880"' in page
    traveller.shift(timedelta(seconds=20))
    assert 'data-idle-seconds-left="900"' in alice.get("/").content.decode()


def test_it_leaves_the_warning_off_the_login_page(client):
    assert b"session-warning" not in client.get("/login/").content


def test_it_stays_signed_in_when_asked(alice, traveller):
    traveller.shift(timedelta(minutes=14))
    response = alice.post("/signin/stay/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"idle_seconds_left": 900, "absolute_seconds_left": 43200 - 14 * 60}
    traveller.shift(timedelta(minutes=14))
    assert alice.get("/").status_code == 200


def test_it_returns_to_the_page_without_script(alice):
    response = alice.post("/signin/stay/", {"next": "/cases/mine/"})
    assert response.url == "/cases/mine/"
    response = alice.post("/signin/stay/", {"next": "https://evil.example/"})
    assert response.url == "/"


def test_it_answers_a_late_stay_signed_in_with_401_and_the_message(alice, traveller):
    traveller.shift(timedelta(minutes=16))
    response = alice.post("/signin/stay/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert not signed_in(alice)
    assert b"after 15 minutes without activity" in alice.get("/login/").content


def test_it_returns_a_late_stay_signed_in_form_to_its_page_after_login(alice, traveller):
    traveller.shift(timedelta(minutes=16))
    response = alice.post("/signin/stay/", {"next": "/cases/mine/"})
    assert response.url == "/login/?next=/cases/mine/"


def test_it_needs_post_for_stay_signed_in(alice):
    assert alice.get("/signin/stay/").status_code == 405


def test_it_needs_a_csrf_token_for_stay_signed_in(csr):
    client = Client(enforce_csrf_checks=True)
    client.force_login(csr)
    assert client.post("/signin/stay/").status_code == 403
    token = client.get("/").context["csrf_token"]
    assert client.post("/signin/stay/", {"csrfmiddlewaretoken": str(token)}).status_code == 302


def test_it_needs_a_signed_in_user_for_stay_signed_in(client):
    response = client.post("/signin/stay/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")
