"""Messages with MNsure's single point of contact (issue 14): an assister writes about their
organization or one of its leads; coordinators see open threads with the unanswered count and
answer in the app; nobody else sees a thread."""

import pytest
from django.urls import reverse

from referrals import services
from referrals.models import Message, Thread
from tests.conftest import make_user
from tracker import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def lakes(make_org, assister_user):
    org = make_org("Lakes Area Navigators")
    org.members.add(assister_user)
    return org


@pytest.fixture
def north(make_org):
    org = make_org("North Star Navigators")
    org.members.add(make_user("assister.north", roles.ASSISTER))
    return org


@pytest.fixture
def other_assister(north):
    return north.members.get()


@pytest.fixture
def thread(lakes, assister_user):
    return services.thread_start(
        organization=lakes, by=assister_user, subject="Holiday leads", body="Do leads stop?"
    )


def test_it_starts_a_thread_and_the_coordinator_answers_it(
    client, assister_user, pal_coordinator, lakes
):
    client.force_login(assister_user)
    response = client.post(
        reverse("portal:thread_new", args=[lakes.pk]),
        {"subject": "Add Oromo", "body": "We hired an Oromo speaker."},
    )
    thread = Thread.objects.get()
    assert response.url == reverse("portal:thread", args=[thread.pk])
    assert thread.awaiting_exchange and thread.organization == lakes

    client.force_login(pal_coordinator)
    page = client.get(reverse("referrals:threads")).content.decode()
    assert '<strong id="unanswered-count">1</strong>' in page and "Add Oromo" in page
    client.post(reverse("referrals:thread", args=[thread.pk]), {"body": "Added, thank you."})
    thread.refresh_from_db()
    assert not thread.awaiting_exchange
    page = client.get(reverse("referrals:threads")).content.decode()
    assert '<strong id="unanswered-count">0</strong>' in page

    client.force_login(assister_user)
    page = client.get(reverse("portal:thread", args=[thread.pk])).content.decode()
    assert "Added, thank you." in page and "(MNsure)" in page


def test_closing_and_writing_again_reopens(client, pal_coordinator, assister_user, thread):
    client.force_login(pal_coordinator)
    client.post(reverse("referrals:thread_close", args=[thread.pk]))
    thread.refresh_from_db()
    assert not thread.is_open and not thread.awaiting_exchange
    client.force_login(assister_user)
    client.post(reverse("portal:thread", args=[thread.pk]), {"body": "One more thing"})
    thread.refresh_from_db()
    assert thread.is_open and thread.awaiting_exchange


def test_an_assister_writes_about_one_of_their_leads(
    client, assister_user, lakes, north, make_referral
):
    lead = make_referral(organization=lakes)
    theirs = make_referral(organization=north)
    from referrals.models import Referral

    # The portal shows sent leads only: mark them sent as the worker would.
    Referral.objects.filter(pk__in=[lead.pk, theirs.pk]).update(state="sent")
    client.force_login(assister_user)
    data = {"subject": "Wrong number", "body": "The phone number does not answer."}
    response = client.post(reverse("portal:lead_thread_new", args=[lead.pk]), data)
    thread = Thread.objects.get()
    assert response.status_code == 302 and thread.referral == lead
    assert "Wrong number" in client.get(reverse("portal:lead", args=[lead.pk])).content.decode()
    # Another organization's lead: a 404, nothing written.
    response = client.post(reverse("portal:lead_thread_new", args=[theirs.pk]), data)
    assert response.status_code == 404 and Thread.objects.count() == 1


# Who may read and write a thread of Lakes (GET the page, POST a reply).
WHO = [
    ("assister_user", "portal:thread", 200),  # Lakes' own assister
    ("other_assister", "portal:thread", 404),  # North's assister
    ("pal_coordinator", "referrals:thread", 200),
    ("pal_coordinator", "portal:thread", 403),  # the portal is for assisters
    ("assister_user", "referrals:thread", 403),
    ("other_assister", "referrals:thread", 403),
    ("pal_rep", "referrals:thread", 403),
    ("pal_rep", "portal:thread", 403),
    ("csr", "referrals:thread", 403),
]


@pytest.mark.parametrize("who, name, status", WHO)
def test_only_the_organization_and_the_coordinators_see_a_thread(
    client, request, thread, other_assister, who, name, status
):
    client.force_login(request.getfixturevalue(who))
    url = reverse(name, args=[thread.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {"body": "Hello"})
    expected = 302 if status == 200 else status
    assert response.status_code == expected
    assert Message.objects.count() == (2 if status == 200 else 1)


@pytest.mark.parametrize("who", ["assister_user", "other_assister", "pal_rep", "csr"])
def test_only_coordinators_list_and_close_threads(client, request, thread, other_assister, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("referrals:threads")).status_code == 403
    assert client.post(reverse("referrals:thread_close", args=[thread.pk])).status_code == 403
    thread.refresh_from_db()
    assert thread.is_open


def test_an_assister_sees_only_their_organizations_threads(
    client, assister_user, thread, north, other_assister
):
    services.thread_start(organization=north, by=other_assister, subject="North's", body="Hi")
    client.force_login(assister_user)
    page = client.get(reverse("portal:organization", args=[thread.organization_id]))
    assert "Holiday leads" in page.content.decode() and "North&#x27;s" not in page.content.decode()
    assert client.get(reverse("portal:organization", args=[north.pk])).status_code == 404


@pytest.mark.parametrize(
    "data, field",
    [({"body": ""}, "body"), ({"body": "  \n "}, "body"), ({"body": "x" * 2001}, "body")],
)
def test_a_bad_reply_names_the_field_and_sends_nothing(client, assister_user, thread, data, field):
    client.force_login(assister_user)
    response = client.post(reverse("portal:thread", args=[thread.pk]), data)
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert Message.objects.count() == 1


def test_the_list_keeps_a_constant_query_count(
    client, pal_coordinator, lakes, assister_user, make_referral, django_assert_max_num_queries
):
    client.force_login(pal_coordinator)
    for i in range(30):
        services.thread_start(
            organization=lakes,
            by=assister_user,
            subject=f"Question {i}",
            body="?",
            referral=make_referral(organization=lakes) if i % 2 else None,
        )
    with django_assert_max_num_queries(8):
        page = client.get(reverse("referrals:threads")).content.decode()
    assert page.count("Question ") == 30
    assert client.get(reverse("referrals:threads") + "?show=nonsense&page=x").status_code == 200


def test_the_coordinators_home_page_counts_unanswered_messages(client, pal_coordinator, thread):
    client.force_login(pal_coordinator)
    page = client.get(reverse("home")).content.decode()
    line = page[page.index('data-queue="referrals:threads"') :].split("</li>")[0]
    assert "Unanswered messages from organizations" in page and ">1<" in line


def test_the_organization_is_emailed_a_link_when_mnsure_answers(
    client, pal_coordinator, thread, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(pal_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("referrals:thread", args=[thread.pk]), {"body": "Secret details"})
    (mail,) = mailoutbox
    assert mail.to == [thread.organization.lead_email]
    assert mail.subject == "MNsure answered: Holiday leads"
    assert f"/portal/messages/{thread.pk}/" in mail.body
    assert "Secret details" not in mail.body  # behind login only
