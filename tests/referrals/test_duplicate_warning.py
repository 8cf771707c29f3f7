"""The referral form warns when the same phone or email was referred in the last 30 days and
sends the lead only with a reason, kept on the referral (issue 13)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import County, Referral

pytestmark = pytest.mark.django_db
URL = reverse("referrals:new")


def answers(**overrides):
    data = {
        "consumer_name": "Ahmed Warsame",
        "phone": "(612) 555-0142",
        "email": "someone.else@example.org",
        "county": County.objects.get(name="Hennepin").pk,
        "language": "Somali",
        "has_active_account": "yes",
        "has_active_application": "yes",
        "determinations": ["ma"],
        "reason_for_help": "Needs help renewing",
        "guidance_given": "A navigator will call",
        "consent": "yes",
    }
    data.update(overrides)
    return data


@pytest.fixture
def navigator(make_org):
    return make_org("Lakes Navigator Partners")


@pytest.fixture
def earlier(make_referral, navigator):
    return make_referral(organization=navigator)  # phone 612-555-0142, maria.lopez@example.org


def test_it_warns_and_sends_nothing_without_a_reason(client, pal_rep, navigator, earlier):
    client.force_login(pal_rep)
    routed = client.post(URL, answers(step="route")).content.decode()
    assert "referred in the last 30 days" in routed
    assert f'href="{earlier.get_absolute_url()}">{earlier.number}</a>' in routed
    response = client.post(URL, answers(step="send", organization=navigator.pk))
    assert response.status_code == 200
    assert response.context["reason_form"].errors["duplicate_reason"]
    assert Referral.objects.count() == 1


def test_the_same_email_in_other_case_warns_too(client, pal_rep, navigator, earlier):
    client.force_login(pal_rep)
    html = client.post(
        URL, answers(step="route", phone="651-555-0100", email="MARIA.LOPEZ@example.org")
    ).content.decode()
    assert earlier.number in html


def test_send_anyway_records_the_reason(client, pal_rep, navigator, earlier):
    client.force_login(pal_rep)
    reason = "The first assister could not reach him"
    response = client.post(
        URL, answers(step="send", organization=navigator.pk, duplicate_reason=reason)
    )
    new = Referral.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.duplicate_reason == reason
    assert reason in client.get(new.get_absolute_url()).content.decode()


def test_a_referral_older_than_30_days_raises_no_warning(client, pal_rep, navigator, earlier):
    Referral.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - timedelta(days=31))
    client.force_login(pal_rep)
    assert (
        "referred in the last 30 days"
        not in client.post(URL, answers(step="route")).content.decode()
    )
    response = client.post(URL, answers(step="send", organization=navigator.pk))
    assert response.status_code == 302
    assert Referral.objects.latest("pk").duplicate_reason == ""


def test_another_reps_referral_is_named_without_a_link(client, navigator, earlier, make_org):
    from tests.conftest import make_user
    from tracker import roles

    other = make_user("pal.rep2", roles.PAL_REPRESENTATIVE)
    client.force_login(other)
    html = client.post(URL, answers(step="route")).content.decode()
    assert earlier.number in html
    assert earlier.get_absolute_url() not in html
