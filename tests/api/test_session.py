"""The API's front door: the browser session works, everyone else gets a JSON 401, never a
login redirect or an HTML page."""

import pytest

from tracker import roles


def test_it_answers_a_signed_in_user_with_their_roles(client, csr):
    client.force_login(csr)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {"username": csr.username, "roles": [roles.CSR]}


def test_it_refuses_an_anonymous_caller_with_json_naming_the_rule(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["rule"] == "authentication" and error["field"] is None


def test_it_refuses_a_signed_in_user_without_a_role(client, db):
    from tracker.models import User

    nobody = User.objects.create_user(username="nobody", password="pw-for-tests-123")
    client.force_login(nobody)
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("path", ["/api/v1/nowhere", "/api/v2/me"])
def test_it_answers_unknown_api_paths_with_404(client, csr, path):
    client.force_login(csr)
    assert client.get(path).status_code == 404
