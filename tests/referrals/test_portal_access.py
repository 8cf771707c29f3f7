"""Every assister-portal URL, and that only assisters use it (their own organization's records
are checked page by page in test_portal, test_self_service and test_messages)."""

import pytest
from django.urls import reverse

from referrals import portal_urls, services

pytestmark = pytest.mark.django_db

# URL name -> method. Only the Assister role gets in; everyone else is refused.
REGISTRY = {
    "home": "get",
    "lead": "get",
    "lead_step": "post",
    "lead_thread_new": "post",
    "organizations": "get",
    "organization": "get",
    "pause": "post",
    "resume": "post",
    "contact": "post",
    "thread_new": "post",
    "thread": "get",
}
OUTSIDERS = ["csr", "qc_lead", "monitor", "pal_rep", "pal_coordinator"]


def test_it_registers_every_portal_url():
    assert {pattern.name for pattern in portal_urls.urlpatterns} == set(REGISTRY)


@pytest.fixture
def objects(make_org, make_referral, assister_user):
    org = make_org("Lakes Area Navigators")
    org.members.add(assister_user)
    thread = services.thread_start(organization=org, by=assister_user, subject="Hi", body="Hi")
    return {"org": org, "referral": make_referral(organization=org), "thread": thread}


def url_for(name, objects):
    args = {
        "lead": [objects["referral"].pk],
        "lead_step": [objects["referral"].pk, "accept"],
        "lead_thread_new": [objects["referral"].pk],
        "organization": [objects["org"].pk],
        "pause": [objects["org"].pk],
        "resume": [objects["org"].pk],
        "contact": [objects["org"].pk],
        "thread_new": [objects["org"].pk],
        "thread": [objects["thread"].pk],
    }.get(name, [])
    return reverse(f"portal:{name}", args=args)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_it_sends_anonymous_visitors_to_login(client, objects, name):
    response = getattr(client, REGISTRY[name])(url_for(name, objects))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name, who", [(n, w) for n in sorted(REGISTRY) for w in OUTSIDERS])
def test_it_refuses_everyone_but_assisters(client, objects, request, name, who):
    client.force_login(request.getfixturevalue(who))
    response = getattr(client, REGISTRY[name])(url_for(name, objects))
    assert response.status_code == 403
