"""The assister portal's steps on a lead (issue 14): accept, decline with a reason, record the
contact and appointment, then the resolution. Another organization's lead is a 404, other
roles get a 403, and bad answers get a message naming the field with nothing changed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral
from referrals.states import DeclineReason, Resolution, State
from tracker import roles

from ..conftest import make_user

pytestmark = pytest.mark.django_db

SENT_ON = timezone.localdate() - timedelta(days=2)


@pytest.fixture
def lakes(make_org, assister_user):
    org = make_org("Lakes Area Navigators", counties=["Hennepin"])
    org.members.add(assister_user)
    return org


@pytest.fixture
def north(make_org):
    return make_org("North Star Navigators", counties=["Hennepin"])


@pytest.fixture
def lead(lakes, make_sent_referral):
    return make_sent_referral(organization=lakes, sent_on=SENT_ON, consumer_name="Ana Ortiz")


def step_url(referral, step):
    return reverse("portal:lead_step", args=[referral.pk, step])


def state_of(referral):
    return Referral.objects.get(pk=referral.pk).state


def test_it_offers_accept_and_decline_on_a_new_lead(client, assister_user, lead):
    client.force_login(assister_user)
    page = client.get(reverse("portal:lead", args=[lead.pk])).content.decode()
    assert 'data-step="accept"' in page and 'data-step="decline"' in page
    assert 'data-step="contact"' in page and 'data-step="resolution"' not in page


def test_it_accepts_a_lead(client, assister_user, lead):
    client.force_login(assister_user)
    response = client.post(step_url(lead, "accept"), follow=True)
    assert f"{lead.number} accepted" in response.content.decode()
    assert state_of(lead) == State.ACCEPTED
    assert 'data-step="accept"' not in response.content.decode()


def test_it_declines_a_lead_back_to_the_coordinators_with_the_reason(
    client, assister_user, pal_coordinator, lead, north
):
    client.force_login(assister_user)
    response = client.post(
        step_url(lead, "decline"),
        {"decline-reason": DeclineReason.NO_CAPACITY, "decline-note": "Full until December"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert state_of(lead) == State.DECLINED
    assert client.get(reverse("portal:lead", args=[lead.pk])).status_code == 404

    client.force_login(pal_coordinator)
    queue = client.get(reverse("referrals:list"), {"state": State.DECLINED}).content.decode()
    assert "Ana Ortiz" in queue and "No capacity for an appointment within two weeks" in queue
    page = client.get(lead.get_absolute_url()).content.decode()
    assert "Lakes Area Navigators declined this lead" in page and "Full until December" in page
    assert 'data-action="reassign"' in page


@pytest.mark.parametrize(
    "step, data, message",
    [
        ("decline", {"decline-reason": ""}, "Choose a reason for declining from the list."),
        ("decline", {"decline-reason": "other"}, "Say why you decline the lead"),
        ("decline", {"decline-reason": "no_capacity", "decline-note": "x" * 1001}, "at most"),
        ("contact", {"contact-contact_date": ""}, "Contact Date is required"),
        ("contact", {"contact-contact_date": "2017-13-45"}, "Enter a valid date."),
        (
            "contact",
            {"contact-contact_date": "2999-01-01"},
            "is in the future",
        ),
        (
            "contact",
            {
                "contact-contact_date": SENT_ON.isoformat(),
                "contact-appointment_on": (SENT_ON - timedelta(days=1)).isoformat(),
            },
            "is before the Contact Date",
        ),
    ],
)
def test_it_refuses_bad_answers_naming_the_field(client, assister_user, lead, step, data, message):
    client.force_login(assister_user)
    response = client.post(step_url(lead, step), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and message in page
    assert state_of(lead) == State.SENT


def test_it_records_the_contact_and_appointment_then_the_resolution(
    client, assister_user, pal_coordinator, lead
):
    client.force_login(assister_user)
    appointment = SENT_ON + timedelta(days=9)
    client.post(step_url(lead, "accept"))
    response = client.post(
        step_url(lead, "contact"),
        {
            "contact-contact_date": SENT_ON.isoformat(),
            "contact-appointment_on": appointment.isoformat(),
        },
        follow=True,
    )
    page = response.content.decode()
    assert f"{lead.number} contact recorded." in page
    assert "within two weeks of the referral" in page and 'data-step="resolution"' in page
    assert state_of(lead) == State.IN_PROGRESS

    response = client.post(
        step_url(lead, "resolution"),
        {"resolution-resolution": Resolution.ELIGIBLE_MA, "resolution-comments": "Renewed"},
        follow=True,
    )
    assert "the lead is completed" in response.content.decode()
    lead = Referral.objects.get(pk=lead.pk)
    assert (lead.state, lead.resolution, lead.appointment_on) == (
        State.COMPLETED,
        Resolution.ELIGIBLE_MA,
        appointment,
    )
    client.force_login(pal_coordinator)
    page = client.get(lead.get_absolute_url()).content.decode()
    assert "Appointment on" in page and "completed" in page


def test_a_step_no_longer_possible_changes_nothing(client, assister_user, lead):
    client.force_login(assister_user)
    client.post(step_url(lead, "accept"))
    response = client.post(step_url(lead, "accept"), follow=True)
    assert "that step is not possible. Nothing was changed." in response.content.decode()
    assert state_of(lead) == State.ACCEPTED


def test_another_organizations_assister_gets_a_404(client, lead, north):
    outsider = make_user("north.assister", roles.ASSISTER)
    north.members.add(outsider)
    client.force_login(outsider)
    for step in ["accept", "decline", "contact", "resolution"]:
        assert client.post(step_url(lead, step), {"decline-reason": "other"}).status_code == 404
    assert state_of(lead) == State.SENT


@pytest.mark.parametrize("role_user", ["pal_coordinator", "pal_rep", "csr", "admin_user"])
def test_only_assisters_take_portal_steps(client, request, role_user, lead):
    client.force_login(request.getfixturevalue(role_user))
    assert client.post(step_url(lead, "accept")).status_code == 403
    assert state_of(lead) == State.SENT


def test_it_refuses_an_unknown_step_and_a_get(client, assister_user, lead):
    client.force_login(assister_user)
    assert client.post(step_url(lead, "finish")).status_code == 403
    assert client.get(step_url(lead, "accept")).status_code == 405
    assert state_of(lead) == State.SENT
