import pytest
from django.urls import reverse

from referrals.models import County, Referral, UnmetRequest

pytestmark = pytest.mark.django_db

URL = reverse("referrals:new")


def answers(**overrides):
    data = {
        "consumer_name": "Ahmed Warsame",
        "phone": "612-555-0199",
        "email": "ahmed@example.org",
        "county": County.objects.get(name="Hennepin").pk,
        "language": "Somali",
        "has_active_account": "yes",
        "has_active_application": "yes",
        "determinations": ["qhp"],
        "reason_for_help": "Wants to compare plans with a broker",
        "guidance_given": "Told him a broker will call within two business days",
        "consent": "yes",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def brokers(make_org):
    return [
        make_org("Metro Insurance Enrollment Center", kind="broker"),
        make_org("Twin Cities Broker Enrollment Center", kind="broker"),
    ]


def test_it_refuses_without_consent_with_a_field_message(client, pal_rep, brokers):
    client.force_login(pal_rep)
    response = client.post(URL, answers(consent="no", step="send", organization=brokers[0].pk))
    assert response.status_code == 200
    assert "No consent, no referral" in response.context["form"].errors["consent"][0]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "missing",
    [
        "consumer_name",
        "phone",
        "county",
        "has_active_account",
        "has_active_application",
        "determinations",
        "reason_for_help",
        "guidance_given",
        "consent",
    ],
)
def test_it_refuses_missing_answers_field_by_field(client, pal_rep, brokers, missing):
    client.force_login(pal_rep)
    response = client.post(URL, answers(**{missing: None}, step="send", organization=brokers[0].pk))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [missing]
    assert not Referral.objects.exists()


def test_it_refuses_none_with_a_determination(client, pal_rep, brokers):
    client.force_login(pal_rep)
    response = client.post(URL, answers(determinations=["none", "qhp"], step="route"))
    assert "cannot be ticked together" in response.context["form"].errors["determinations"][0]


def test_it_shows_the_type_with_its_reason_and_preselects_the_least_busy_org(
    client, pal_rep, brokers, make_referral
):
    make_referral(organization=brokers[0])  # Metro now has one open lead
    client.force_login(pal_rep)
    response = client.post(URL, answers(step="route"))
    content = response.content.decode()
    assert "Refer to: Broker enrollment center" in content
    assert "QHP determination – refer to a preferred broker" in content
    choose = response.context["choose"]
    assert list(choose.fields["organization"].queryset) == [brokers[1], brokers[0]]
    assert choose.initial["organization"] == brokers[1]
    assert Referral.objects.count() == 1  # routing alone creates nothing


def test_it_creates_the_referral_and_emails_the_lead(
    client, pal_rep, brokers, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(pal_rep)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, answers(step="send", organization=brokers[1].pk))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == referral.get_absolute_url()
    assert referral.created_by == pal_rep
    assert referral.assister_type == "broker"
    assert referral.organization == brokers[1]
    assert referral.state == "sent"
    assert mailoutbox[0].to == [brokers[1].lead_email]


def test_it_records_an_unmet_request_when_no_org_is_eligible(client, pal_rep, brokers):
    client.force_login(pal_rep)
    response = client.post(URL, answers(county=County.objects.get(name="Kittson").pk, step="route"))
    assert "cannot be referred" in response.content.decode()
    unmet = UnmetRequest.objects.get()
    assert (unmet.county.name, unmet.assister_type, unmet.language, unmet.recorded_by) == (
        "Kittson",
        "broker",
        "Somali",
        pal_rep,
    )
    assert not Referral.objects.exists()


def test_it_refuses_an_org_that_is_not_eligible(client, pal_rep, brokers, make_org):
    navigator = make_org("Lakes Area Navigators", kind="navigator")
    client.force_login(pal_rep)
    response = client.post(URL, answers(step="send", organization=navigator.pk))
    assert "organization" in response.context["choose"].errors
    assert not Referral.objects.exists()


def test_it_refuses_users_without_the_role(client, csr):
    client.force_login(csr)
    assert client.get(URL).status_code == 403
