"""AC-7: 3 consecutive failures within 120 minutes lock an account for 60 minutes; one address is
paused after many failures across accounts. The rules live in signin/lockout.py."""

import logging
from datetime import timedelta

import pytest

from signin.models import Lockout

from .conftest import ADDRESS

pytestmark = pytest.mark.django_db


def signed_in(client):
    return "_auth_user_id" in client.session


def test_it_refuses_the_right_password_after_three_wrong_ones_and_says_why(
    attempt, csr, right_password, client
):
    for _ in range(2):
        response = attempt("csr.alice")
        assert response.status_code == 200
        assert b"Your username and password didn" in response.content

    third = attempt("csr.alice")
    assert third.status_code == 429
    assert b"Sign-in locked" in third.content

    response = attempt("csr.alice", right_password)
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "The account <strong>csr.alice</strong> is locked after" in page
    assert "3 failed sign-in attempts within 120 minutes" in page
    assert "or sooner if an Admin unlocks it" in page
    assert "contact your supervisor or the exchange&#x27;s help desk" in page


def test_it_says_until_when_in_local_time(attempt, csr, traveller, settings):
    for _ in range(3):
        response = attempt("csr.alice")
    lockout = Lockout.objects.get()
    assert lockout.locked_until - lockout.locked_at == timedelta(minutes=60)
    from django.utils import timezone
    from django.utils.formats import date_format

    local = timezone.localtime(lockout.locked_until)
    assert date_format(local, "TIME_FORMAT").encode() in response.content


def test_it_shows_the_configured_contact(attempt, csr, settings):
    settings.LOCKOUT_CONTACT = "the Service Desk at 555-0100"
    for _ in range(3):
        response = attempt("csr.alice")
    assert b"contact the Service Desk at 555-0100" in response.content


def test_it_unlocks_by_itself_after_sixty_minutes(attempt, csr, right_password, client, traveller):
    for _ in range(3):
        attempt("csr.alice")

    traveller.shift(timedelta(minutes=59))
    assert attempt("csr.alice", right_password).status_code == 429
    assert not signed_in(client)

    traveller.shift(timedelta(minutes=1, seconds=1))
    response = attempt("csr.alice", right_password)
    assert response.status_code == 302
    assert signed_in(client)


def test_it_does_not_extend_the_lockout_for_attempts_made_during_it(
    attempt, csr, right_password, client, traveller
):
    for _ in range(3):
        attempt("csr.alice")
    traveller.shift(timedelta(minutes=30))
    for _ in range(5):
        assert attempt("csr.alice").status_code == 429
    traveller.shift(timedelta(minutes=31))
    assert attempt("csr.alice", right_password).status_code == 302


@pytest.mark.parametrize(
    ("steps", "locked"),
    [
        # minutes after the first failure: "fail" or "ok" (a successful sign-in)
        ([(0, "fail"), (1, "fail"), (2, "fail")], True),
        ([(0, "fail"), (61, "fail"), (119, "fail")], True),  # within 120 minutes
        ([(0, "fail"), (61, "fail"), (121, "fail")], False),  # the first has left the window
        ([(0, "fail"), (1, "fail"), (2, "ok"), (3, "fail")], False),  # not consecutive
        ([(0, "fail"), (1, "fail")], False),
    ],
)
def test_it_counts_consecutive_failures_within_the_window(
    attempt, csr, right_password, client, traveller, steps, locked
):
    elapsed = 0
    for minute, outcome in steps:
        traveller.shift(timedelta(minutes=minute - elapsed))
        elapsed = minute
        attempt("csr.alice", right_password if outcome == "ok" else "wrong-password")
        client.logout()
    assert Lockout.objects.filter(kind=Lockout.ACCOUNT).exists() is locked


def test_it_counts_failures_afresh_after_a_lockout_ends(attempt, csr, right_password, traveller):
    for _ in range(3):
        attempt("csr.alice")
    traveller.shift(timedelta(minutes=61))
    attempt("csr.alice")
    attempt("csr.alice")
    assert Lockout.objects.count() == 1  # the first three do not count again
    assert attempt("csr.alice", right_password).status_code == 302


def test_it_locks_an_unknown_username_like_a_real_one(attempt, db):
    # The answer must not tell an attacker which usernames exist.
    for _ in range(3):
        response = attempt("no.such.person")
    assert response.status_code == 429
    assert b"The account <strong>no.such.person</strong> is locked" in response.content


def test_it_locks_the_account_whatever_address_the_failures_come_from(attempt, csr, right_password):
    for number in range(3):
        attempt("csr.alice", address=f"203.0.113.{number + 1}")
    assert attempt("csr.alice", right_password, address="203.0.113.99").status_code == 429


def test_it_does_not_lock_other_accounts(attempt, csr, qc_lead, right_password, client):
    for _ in range(3):
        attempt("csr.alice")
    assert attempt("qc.lead", right_password).status_code == 302


def test_it_logs_each_lockout(attempt, csr, caplog):
    with caplog.at_level(logging.WARNING, logger="signin"):
        for _ in range(3):
            attempt("csr.alice")
    lockout = Lockout.objects.get()
    assert (lockout.kind, lockout.username, lockout.ip_address, lockout.failures) == (
        Lockout.ACCOUNT,
        "csr.alice",
        ADDRESS,
        3,
    )
    assert "Sign-in lockout: account csr.alice locked until" in caplog.text


def test_it_protects_the_django_admin_login_too(admin_user, attempt, right_password, client):
    for _ in range(3):
        attempt("admin", path="/admin/login/?next=/admin/")
    response = attempt("admin", right_password, path="/admin/login/?next=/admin/")
    assert response.status_code == 429
    assert b"The account <strong>admin</strong> is locked" in response.content
    assert not signed_in(client)
    # ... and the lockout is shared with our own login form.
    assert attempt("admin", right_password).status_code == 429


# ---- the address throttle -----------------------------------------------------------------------
@pytest.fixture
def address_limit(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    return 6


def test_it_pauses_an_address_that_sprays_many_accounts(
    attempt, csr, right_password, client, address_limit
):
    for number in range(address_limit):
        attempt(f"guess{number}")  # one failure each: no account is locked
    assert not Lockout.objects.filter(kind=Lockout.ACCOUNT).exists()

    response = attempt("csr.alice", right_password)
    assert response.status_code == 429
    assert not signed_in(client)
    assert b"Too many failed sign-in attempts came from your network address" in response.content
    # Another address is not affected.
    assert attempt("csr.alice", right_password, address="203.0.113.50").status_code == 302


def test_it_does_not_pause_a_call_center_for_a_few_typos(
    attempt, csr, other_csr, supervisor, right_password, address_limit
):
    # A floor behind one NAT address: three people mistype once each, all then sign in.
    for username in ["csr.alice", "csr.carol", "sup.alpha"]:
        attempt(username)
    for username in ["csr.alice", "csr.carol", "sup.alpha"]:
        assert attempt(username, right_password).status_code == 302, username


def test_it_resumes_an_address_after_its_pause(
    attempt, csr, right_password, traveller, settings, address_limit
):
    for number in range(address_limit):
        attempt(f"guess{number}")
    traveller.shift(timedelta(minutes=settings.LOGIN_ADDRESS_LOCKOUT_MINUTES, seconds=1))
    assert attempt("csr.alice", right_password).status_code == 302


def test_it_keeps_a_failed_login_within_a_few_queries(attempt, csr, django_assert_max_num_queries):
    # Lockout check, user, failure row, two counts (decision 0003); no growth with the log's size.
    for number in range(20):
        attempt(f"guess{number}", address=f"203.0.113.{number + 1}")
    with django_assert_max_num_queries(5):
        attempt("csr.alice")


@pytest.mark.parametrize(
    "username",
    ["x" * 5000, "nul\x00byte", ""],
)
def test_it_never_fails_on_strange_usernames(attempt, db, username):
    assert attempt(username).status_code in {200, 429}
