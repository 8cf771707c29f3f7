"""Every referrals URL, who may use it, and that everyone else is refused."""

import pytest
from django.urls import reverse

from referrals import urls

pytestmark = pytest.mark.django_db

# URL name -> (method, fixtures allowed in). Everybody else gets 403 (or 404 for objects they may
# not see); anonymous visitors are sent to the login page.
REGISTRY = {
    "list": ("get", ["pal_rep", "pal_coordinator"]),
    "new": ("get", ["pal_rep"]),
    "detail": ("get", ["pal_rep", "pal_coordinator"]),
    "action": ("post", ["pal_coordinator"]),
    "organizations": ("get", ["pal_coordinator"]),
    "organization_new": ("get", ["pal_coordinator"]),
    "organization": ("get", ["pal_coordinator"]),
    "organization_edit": ("get", ["pal_coordinator"]),
    "organization_suspend": ("post", ["pal_coordinator"]),
    "organization_resume": ("post", ["pal_coordinator"]),
    "organization_resend_failed": ("post", ["pal_coordinator"]),
    "request_new": ("post", ["pal_coordinator"]),
    "requests": ("get", ["pal_coordinator"]),
    "request_handle": ("post", ["pal_coordinator"]),
    "unmet": ("get", ["pal_coordinator"]),
    "threads": ("get", ["pal_coordinator"]),
    "thread": ("get", ["pal_coordinator"]),
    "thread_close": ("post", ["pal_coordinator"]),
    "contact_change_approve": ("post", ["pal_coordinator"]),
    "contact_change_reject": ("post", ["pal_coordinator"]),
}
OUTSIDERS = ["csr", "qc_lead", "monitor", "assister_user", "pal_rep", "pal_coordinator"]


def test_it_registers_every_url():
    assert {pattern.name for pattern in urls.urlpatterns} == set(REGISTRY)


@pytest.fixture
def objects(make_org, make_referral, pal_coordinator):
    from referrals import services
    from referrals.models import OrganizationRequest
    from tests.conftest import make_user
    from tracker import roles

    org = make_org("Metro Brokers", kind="broker")
    # Metro's own assister writes; the `assister_user` fixture is another organization's.
    metro = make_user("assister.metro", roles.ASSISTER)
    org.members.add(metro)
    referral = make_referral(organization=org)
    logged = OrganizationRequest.objects.create(
        organization=org, kind="other", details="Question", logged_by=pal_coordinator
    )
    thread = services.thread_start(organization=org, by=metro, subject="A question", body="Hi")
    change = services.contact_change_request(
        organization=org, by=metro, contact_name="Ana", lead_email="ana@example.org"
    )
    return {
        "org": org,
        "referral": referral,
        "request": logged,
        "thread": thread,
        "change": change,
    }


def url_for(name, objects):
    args = {
        "detail": [objects["referral"].pk],
        "action": [objects["referral"].pk, "reassign"],
        "request_handle": [objects["request"].pk],
        "thread": [objects["thread"].pk],
        "thread_close": [objects["thread"].pk],
        "contact_change_approve": [objects["change"].pk],
        "contact_change_reject": [objects["change"].pk],
    }.get(name)
    if (
        args is None
        and name.startswith(("organization_", "request_new"))
        and name != "organization_new"
    ):
        args = [objects["org"].pk]
    if name == "organization":
        args = [objects["org"].pk]
    return reverse(f"referrals:{name}", args=args or [])


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_it_sends_anonymous_visitors_to_login(client, objects, name):
    method, _ = REGISTRY[name]
    response = getattr(client, method)(url_for(name, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name, who",
    [(name, who) for name in sorted(REGISTRY) for who in OUTSIDERS if who not in REGISTRY[name][1]],
)
def test_it_refuses_users_without_the_role(client, objects, request, name, who):
    method, _ = REGISTRY[name]
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = getattr(client, method)(url_for(name, objects))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("name", sorted(n for n, (m, _) in REGISTRY.items() if m == "get"))
def test_it_lets_the_role_in(client, objects, request, name):
    _, allowed = REGISTRY[name]
    for who in allowed:
        client.force_login(request.getfixturevalue(who))
        assert client.get(url_for(name, objects)).status_code == 200, who


def test_it_hides_other_reps_referrals(client, objects):
    from tests.conftest import make_user
    from tracker import roles

    client.force_login(make_user("pal.rep2", roles.PAL_REPRESENTATIVE))
    assert client.get(objects["referral"].get_absolute_url()).status_code == 404
    assert objects["referral"] not in client.get(reverse("referrals:list")).context["table"].data


def test_it_lets_a_rep_withdraw_their_own_referral_only(client, objects, pal_rep):
    client.force_login(pal_rep)
    url = reverse("referrals:action", args=[objects["referral"].pk, "reassign"])
    assert client.post(url, {}).status_code == 403
    url = reverse("referrals:action", args=[objects["referral"].pk, "withdraw"])
    client.post(url, {"reason": "Consumer called back: entered by mistake"})
    objects["referral"].refresh_from_db()
    assert objects["referral"].state == "withdrawn"
