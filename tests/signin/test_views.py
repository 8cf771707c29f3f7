import pytest
from django.test import Client

from signin.models import Lockout

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_alice(attempt, csr):
    for _ in range(3):
        attempt("csr.alice")
    return Lockout.objects.get()


def test_it_shows_admins_current_lockouts_and_lets_them_unlock(
    client, admin_user, locked_alice, right_password
):
    client.force_login(admin_user)
    home = client.get("/").content.decode()
    assert 'href="/signin/lockouts/"' in home  # linked from the menu

    page = client.get("/signin/lockouts/").content.decode()
    assert "csr.alice" in page
    assert "Unlock csr.alice" in page

    response = client.post(f"/signin/lockouts/{locked_alice.pk}/clear/", follow=True)
    assert b"Cleared the lockout of csr.alice." in response.content
    locked_alice.refresh_from_db()
    assert locked_alice.cleared_by == admin_user
    assert b"Nobody is locked out." in response.content
    assert b"Cleared by" in response.content  # kept in the log

    alice = Client()
    response = alice.post(
        "/login/", {"username": "csr.alice", "password": right_password}, REMOTE_ADDR="192.0.2.1"
    )
    assert response.status_code == 302


def test_it_counts_failures_afresh_after_an_unlock(
    client, admin_user, locked_alice, attempt, right_password
):
    client.force_login(admin_user)
    client.post(f"/signin/lockouts/{locked_alice.pk}/clear/")
    client.logout()
    attempt("csr.alice")
    assert attempt("csr.alice", right_password).status_code == 302


def test_it_tells_the_admin_when_a_lockout_had_already_ended(client, admin_user, locked_alice):
    client.force_login(admin_user)
    client.post(f"/signin/lockouts/{locked_alice.pk}/clear/")
    response = client.post(f"/signin/lockouts/{locked_alice.pk}/clear/", follow=True)
    assert b"had already ended" in response.content


@pytest.mark.parametrize("role", ["csr", "qc_lead", "monitor", "supervisor", "pal_coordinator"])
def test_it_refuses_lockouts_to_anyone_but_an_admin(client, request, role, locked_alice):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/signin/lockouts/").status_code == 403
    assert client.post(f"/signin/lockouts/{locked_alice.pk}/clear/").status_code == 403
    assert b"Sign-in lockouts" not in client.get("/").content
    locked_alice.refresh_from_db()
    assert locked_alice.is_active()


def test_it_sends_anonymous_visitors_to_the_login_page(client, locked_alice):
    response = client.get("/signin/lockouts/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_it_only_clears_by_post(client, admin_user, locked_alice):
    client.force_login(admin_user)
    assert client.get(f"/signin/lockouts/{locked_alice.pk}/clear/").status_code == 405
    assert client.post("/signin/lockouts/999999/clear/").status_code == 404


def test_it_clears_from_the_command_line_too(locked_alice):
    from django.core.management import call_command

    call_command("axes_reset_username", "csr.alice")
    locked_alice.refresh_from_db()
    assert not locked_alice.is_active()


def test_it_shows_the_lockouts_read_only_in_the_django_admin(client, locked_alice, db):
    from tests.conftest import make_user

    superuser = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/signin/lockout/").status_code == 200
    assert client.get("/admin/axes/accessfailurelog/").status_code == 200
    response = client.post(f"/admin/signin/lockout/{locked_alice.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Lockout.objects.filter(pk=locked_alice.pk).exists()
