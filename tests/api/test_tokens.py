"""API tokens: stored hashed, bound to one role (and an Assister's organization), refused once
revoked, rate limited, and managed on the token pages by Admins and PAL Coordinators only."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone

from api import services
from api.auth import THROTTLE
from api.models import ApiToken, key_hash
from tracker import roles
from tracker.models import User

from ..conftest import make_user
from .conftest import TokenClient


def test_it_keeps_only_the_hash_of_the_key(make_token):
    new, _ = make_token(roles.CSR)
    row = ApiToken.objects.values().get(pk=new.token.pk)
    assert new.key not in {str(value) for value in row.values()}
    assert row["key_hash"] == key_hash(new.key) and len(row["key_hash"]) == 64
    assert row["key_prefix"] == new.key[:8]
    assert len(new.key) >= 43  # 32 random bytes


def test_it_gives_the_client_user_exactly_the_tokens_role_and_organization(make_token, make_org):
    org = make_org("Northside Navigators")
    new, _ = make_token(roles.ASSISTER, organization=org)
    client = new.token.client
    assert set(client.groups.values_list("name", flat=True)) == {roles.ASSISTER}
    assert list(client.assister_organizations.all()) == [org]
    assert not client.has_usable_password()
    assert client.username.startswith("api-")


def test_it_answers_a_valid_token_as_its_client(make_token):
    new, api = make_token(roles.CSR)
    response = api.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == new.token.client.username


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-key", "Bearer ", "Basic abc", "Bearer " + "x" * 5000, "Token abc"],
)
def test_it_refuses_a_wrong_key_with_401(make_token, client, header):
    make_token(roles.CSR)
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["errors"][0]["rule"] == "authentication"


def test_it_refuses_a_revoked_token_and_deactivates_its_client(make_token, token_admin):
    new, api = make_token(roles.CSR)
    assert api.get("/api/v1/me").status_code == 200
    services.api_token_revoke(token=new.token, by=token_admin)
    assert api.get("/api/v1/me").status_code == 401
    assert not User.objects.get(pk=new.token.client_id).is_active


def test_it_refuses_a_token_whose_client_was_deactivated(make_token):
    new, api = make_token(roles.CSR)
    User.objects.filter(pk=new.token.client_id).update(is_active=False)
    assert api.get("/api/v1/me").status_code == 401


def test_it_records_last_use_at_most_once_a_minute(make_token):
    new, api = make_token(roles.CSR)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api.get("/api/v1/me")
    new.token.refresh_from_db()
    assert new.token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        api.get("/api/v1/me")
    new.token.refresh_from_db()
    assert new.token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        api.get("/api/v1/me")
    new.token.refresh_from_db()
    assert new.token.last_used_at == start + timedelta(seconds=61)


@pytest.fixture
def three_a_minute(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    throttle = THROTTLE[0]
    monkeypatch.setattr(throttle, "num_requests", 3)
    monkeypatch.setattr(throttle, "duration", 60)
    yield
    cache.clear()


def test_it_answers_429_with_retry_after_past_the_rate_limit(make_token, three_a_minute):
    _, api = make_token(roles.CSR)
    _, other = make_token(roles.QC_LEAD)
    assert [api.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/v1/me")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert response.json()["errors"][0]["rule"] == "rate_limit"
    assert other.get("/api/v1/me").status_code == 200  # per token, not for everyone


# ---- who may create and revoke which tokens ------------------------------------------------


@pytest.fixture
def creators(db, token_admin):
    unverified_admin = make_user("admin.nomfa", roles.ADMIN, is_staff=True)
    return {
        "admin with MFA": token_admin,
        "admin without MFA": unverified_admin,
        "coordinator": make_user("coord.t", roles.PAL_COORDINATOR),
        "csr": make_user("csr.t", roles.CSR),
        "assister": make_user("assister.t", roles.ASSISTER),
    }


@pytest.mark.parametrize(
    "creator, role, allowed",
    [
        ("admin with MFA", roles.STATE_MONITOR, True),
        ("admin with MFA", roles.ADMIN, True),
        ("admin with MFA", roles.CSR, True),
        ("admin without MFA", roles.STATE_MONITOR, False),
        ("admin without MFA", roles.ADMIN, False),
        ("admin without MFA", roles.CSR, True),
        ("coordinator", roles.ASSISTER, True),
        ("coordinator", roles.CSR, False),
        ("coordinator", roles.PAL_COORDINATOR, False),
        ("csr", roles.CSR, False),
        ("assister", roles.ASSISTER, False),
    ],
)
def test_it_lets_only_the_right_people_create_each_role(creators, make_org, creator, role, allowed):
    from django.core.exceptions import PermissionDenied

    org = make_org("Any Org") if role == roles.ASSISTER else None
    if allowed:
        new = services.api_token_create(by=creators[creator], name="c", role=role, organization=org)
        assert new.token.role == role
    else:
        with pytest.raises(PermissionDenied):
            services.api_token_create(by=creators[creator], name="c", role=role, organization=org)
        assert not ApiToken.objects.exists()


def test_it_refuses_an_assister_token_without_an_organization(token_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.api_token_create(by=token_admin, name="x", role=roles.ASSISTER)
    assert "organization" in error.value.message_dict


def test_a_coordinator_revokes_assister_tokens_only(make_token, creators):
    from django.core.exceptions import PermissionDenied

    assister_token, _ = make_token(roles.ASSISTER)
    csr_token, _ = make_token(roles.CSR)
    services.api_token_revoke(token=assister_token.token, by=creators["coordinator"])
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=csr_token.token, by=creators["coordinator"])
    csr_token.token.refresh_from_db()
    assert not csr_token.token.revoked


# ---- the token pages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture, status",
    [
        ("admin_user", 200),
        ("pal_coordinator", 200),
        ("csr", 403),
        ("monitor", 403),
        ("qc_lead", 403),
        ("supervisor", 403),
        ("pal_rep", 403),
        ("assister_user", 403),
    ],
)
def test_it_shows_the_token_pages_only_to_admins_and_coordinators(client, request, fixture, status):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get("/api-tokens/").status_code == status
    assert client.get("/api-tokens/new/").status_code == status


def test_it_shows_the_key_once_and_lists_the_token_by_its_prefix(client, pal_coordinator, make_org):
    org = make_org("Northside Navigators")
    client.force_login(pal_coordinator)
    response = client.post(
        "/api-tokens/new/",
        {"name": "Northside script", "role": roles.ASSISTER, "organization": org.pk},
    )
    assert response.status_code == 200
    key = BeautifulSoup(response.content, "html.parser").find(id="token-key")["value"]
    token = ApiToken.objects.get()
    assert token.key_hash == key_hash(key) and token.organization == org
    listing = client.get("/api-tokens/").content.decode()
    assert key not in listing and f"{key[:8]}…" in listing
    assert TokenClient(key).get("/api/v1/me").status_code == 200


def test_a_coordinator_may_not_choose_another_role(client, pal_coordinator):
    client.force_login(pal_coordinator)
    response = client.post("/api-tokens/new/", {"name": "CRM", "role": roles.CSR})
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_it_asks_for_the_organization_of_an_assister_token(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/api-tokens/new/", {"name": "Script", "role": roles.ASSISTER})
    assert "organization" in response.context["form"].errors


def test_revoking_from_the_page_asks_then_refuses_the_key(client, admin_user, make_token):
    new, api = make_token(roles.CSR)
    client.force_login(admin_user)
    page = client.get(f"/api-tokens/{new.token.pk}/revoke/")
    assert page.status_code == 200 and ApiToken.objects.get().revoked_at is None
    assert client.post(f"/api-tokens/{new.token.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/me").status_code == 401
    # Revoked once: nothing left to revoke.
    assert client.post(f"/api-tokens/{new.token.pk}/revoke/").status_code == 403


def test_a_coordinator_cannot_see_or_revoke_other_roles_tokens(client, pal_coordinator, make_token):
    new, _ = make_token(roles.CSR)
    client.force_login(pal_coordinator)
    assert "CSR client" not in client.get("/api-tokens/").content.decode()
    assert client.post(f"/api-tokens/{new.token.pk}/revoke/").status_code == 404
