import pytest

# serialized_rollback: the roles (groups) come from a data migration, and a transactional test
# flushes them at its end; this restores them for the next browser test.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_logs_in_and_shows_the_role_home(page, live_server, login, shot, qc_lead):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url  # anonymous visitors are sent to the login page
    shot("login")
    login(qc_lead)
    assert page.get_by_role("heading", name="QC Lead").is_visible()
    shot("home")
