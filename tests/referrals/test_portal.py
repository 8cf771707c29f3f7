"""The assister portal: an assister sees only their organizations' leads — anything else is a
404 — and records outcomes under the same rules as the Preferred Assister Report."""

from datetime import date

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from referrals import services
from referrals.models import Referral
from referrals.states import Resolution, State

pytestmark = pytest.mark.django_db

SENT_ON = date(2017, 11, 6)
REACHED = {
    "contact_made": "Y",
    "contact_date": "2017-11-07",
    "resolution": Resolution.ENROLLED_QHP,
    "comments": "Enrolled in a silver plan",
}


@pytest.fixture
def lakes(make_org, assister_user):
    org = make_org("Lakes Area Navigators", counties=["Hennepin", "Ramsey"])
    org.members.add(assister_user)
    return org


@pytest.fixture
def north(make_org):
    return make_org("North Star Navigators", counties=["Hennepin", "St. Louis"])


@pytest.fixture
def lead(lakes, make_sent_referral):
    return make_sent_referral(organization=lakes, sent_on=SENT_ON, consumer_name="Ana Ortiz")


@pytest.fixture
def their_lead(north, make_sent_referral):
    return make_sent_referral(organization=north, sent_on=SENT_ON, consumer_name="Bo Nilsen")


def lead_url(referral):
    return reverse("portal:lead", args=[referral.pk])


def test_an_assister_sees_only_their_organizations_leads(client, assister_user, lead, their_lead):
    client.force_login(assister_user)
    page = client.get(reverse("portal:home")).content.decode()
    assert "Ana Ortiz" in page and lead.phone in page
    assert "Bo Nilsen" not in page
    assert 'data-count="awaiting">1<' in page
    # Sent 11/06/2017, due two business days later: long overdue today.
    assert 'data-count="overdue">1<' in page and "11/08/2017" in page


@pytest.mark.parametrize(
    "method, data", [("get", None), ("post", REACHED)], ids=["lead page", "record outcome"]
)
def test_another_organizations_lead_is_a_404(client, assister_user, lead, their_lead, method, data):
    client.force_login(assister_user)
    response = getattr(client, method)(lead_url(their_lead), data)
    assert response.status_code == 404
    assert Referral.objects.get(pk=their_lead.pk).state == State.SENT


def test_a_lead_moved_to_another_organization_disappears(
    client, assister_user, lead, north, pal_coordinator
):
    services.referral_reassign(
        referral=lead, organization=north, by=pal_coordinator, reason="Closer to the consumer"
    )
    client.force_login(assister_user)
    assert client.get(lead_url(lead)).status_code == 404
    assert "Ana Ortiz" not in client.get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize(
    "state_change",
    ["withdrawn", "not sent yet"],
)
def test_leads_not_theirs_to_work_are_not_shown(
    client, assister_user, lakes, make_referral, lead, pal_coordinator, state_change
):
    if state_change == "withdrawn":
        target = services.referral_withdraw(referral=lead, by=pal_coordinator, reason="Duplicate")
    else:
        target = make_referral(organization=lakes)  # queued: the email has not gone out
        assert target.state == State.QUEUED
    client.force_login(assister_user)
    assert client.get(lead_url(target)).status_code == 404


@pytest.mark.parametrize(
    "role_user", ["csr", "pal_rep", "pal_coordinator", "monitor", "admin_user"]
)
def test_the_portal_is_for_assisters_only(client, request, role_user, lead):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse("portal:home")).status_code == 403
    assert client.get(lead_url(lead)).status_code == 403


def test_an_assister_without_an_organization_is_told_why_the_list_is_empty(
    client, assister_user, their_lead
):
    client.force_login(assister_user)
    page = client.get(reverse("portal:home")).content.decode()
    assert "not linked to an assister organization" in page and "Bo Nilsen" not in page


def test_an_assister_records_an_outcome_in_the_browser(client, assister_user, lead):
    client.force_login(assister_user)

    response = client.post(lead_url(lead), REACHED, follow=True)

    assert f"{lead.number}: outcome recorded." in response.content.decode()
    lead = Referral.objects.get(pk=lead.pk)
    assert (lead.state, lead.contact_made, lead.contact_date, lead.resolution, lead.comments) == (
        State.COMPLETED,
        True,
        date(2017, 11, 7),
        Resolution.ENROLLED_QHP,
        "Enrolled in a silver plan",
    )
    entry = StateLog.objects.for_(lead).latest("pk")
    assert (entry.transition, entry.by, entry.description) == (
        "report_outcome",
        assister_user,
        "Recorded in the assister portal",
    )
    assert "Recorded in the assister portal" in client.get(lead_url(lead)).content.decode()


def test_recording_again_replaces_the_answers(client, assister_user, lead):
    client.force_login(assister_user)
    client.post(lead_url(lead), {"contact_made": "N", "resolution": "unable_to_contact"})
    page = client.get(lead_url(lead)).content.decode()
    assert "you can correct it" in page

    client.post(lead_url(lead), REACHED)

    lead = Referral.objects.get(pk=lead.pk)
    assert (lead.contact_made, lead.resolution) == (True, Resolution.ENROLLED_QHP)
    assert StateLog.objects.for_(lead).filter(transition="report_outcome").count() == 2


# Every rule of referrals/outcomes.py, as the portal shows it: next to the field.
BAD_ANSWERS = [
    ({"contact_made": ""}, "contact_made", "Contact Made must be Y or N."),
    ({"contact_date": ""}, "contact_date", "Contact Date is required when Contact Made is Y."),
    (
        {"contact_made": "N", "resolution": "unable_to_contact"},
        "contact_date",
        "Leave Contact Date empty when Contact Made is N.",
    ),
    ({"contact_date": "2099-01-01"}, "contact_date", "is in the future"),
    ({"contact_date": "2017-11-05"}, "contact_date", "is before the lead was sent (11/06/2017)"),
    ({"contact_date": "11/31/2017"}, "contact_date", "Enter a valid date."),
    ({"resolution": ""}, "resolution", "Choose a Resolution from the list."),
    ({"resolution": "Enrolled"}, "resolution", "Select a valid choice."),
    ({"resolution": "unable_to_contact"}, "resolution", "contradicts Contact Made = Y"),
    (
        {"contact_made": "N", "contact_date": "", "resolution": "enrolled_qhp"},
        "resolution",
        "With Contact Made = N the Resolution must be “Unable to contact”.",
    ),
    ({"comments": "x" * 2001}, "comments", "at most 2000 characters"),
]


@pytest.mark.parametrize("changes, field, words", BAD_ANSWERS)
def test_bad_answers_are_shown_next_to_the_field_and_change_nothing(
    client, assister_user, lead, changes, field, words
):
    client.force_login(assister_user)

    response = client.post(lead_url(lead), {**REACHED, **changes})

    assert response.status_code == 200
    assert any(words in message for message in response.context["form"].errors[field])
    lead = Referral.objects.get(pk=lead.pk)
    assert (lead.state, lead.contact_made, lead.resolution) == (State.SENT, None, "")


@pytest.mark.parametrize("count", [3, 30])
def test_the_lead_list_runs_a_constant_number_of_queries(
    client, assister_user, lakes, make_sent_referral, django_assert_max_num_queries, count
):
    for _ in range(count):
        make_sent_referral(organization=lakes, sent_on=SENT_ON)
    client.force_login(assister_user)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("portal:home"))
    assert response.content.decode().count("/portal/leads/") == count


def test_the_home_page_counts_leads_awaiting_an_outcome(client, assister_user, lead):
    client.force_login(assister_user)
    page = client.get(reverse("home")).content.decode()
    assert 'data-queue="portal:home">1<' in page
