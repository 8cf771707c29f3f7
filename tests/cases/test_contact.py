"""The consumer's contact on MCO cases (issue 13, part 3): captured at intake, required where the
case may end in supervisor outreach, shown on the case page and beside the outreach attempts,
kept off the lists and out of the logs."""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case

from .test_intake import _post


@pytest.fixture
def csr_client(client, csr):
    client.force_login(csr)
    return client


def test_it_captures_the_contact_at_intake_and_shows_it_with_a_tel_link(csr_client, mcos):
    response = _post(
        csr_client,
        "mct_span",
        {
            "target_mco": mcos["Priority Partners"].pk,
            "consumer_phone": "(410) 555 0199",
            "best_time_to_call": "Weekdays after 3 pm",
            "consumer_email": "maria.lopez@example.org",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.consumer_phone, case.best_time_to_call, case.consumer_email) == (
        "410-555-0199",
        "Weekdays after 3 pm",
        "maria.lopez@example.org",
    )
    html = csr_client.get(case.get_absolute_url()).content.decode()
    assert '<a href="tel:+1-410-555-0199" class="phone">410-555-0199</a>' in html
    assert "Weekdays after 3 pm" in html and "maria.lopez@example.org" in html


@pytest.mark.parametrize(
    "phone, message",
    [
        ("", "Give the consumer's phone: the supervisor calls it if the case needs outreach."),
        (
            "555-0199",
            "The consumer's phone is not a US number: give it with its area code, "
            "like 612-555-0199.",
        ),
        (
            "410-555-0199 <script>",
            "The consumer's phone is not a US number: give it with its area code, "
            "like 612-555-0199.",
        ),
    ],
)
def test_it_names_the_phone_field_when_it_is_missing_or_wrong(csr_client, mcos, phone, message):
    response = _post(
        csr_client,
        "mct_span",
        {"target_mco": mcos["Priority Partners"].pk, "consumer_phone": phone},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["consumer_phone"] == [message]
    assert not Case.objects.exists()


def test_it_refuses_a_malformed_email(csr_client, mcos):
    response = _post(
        csr_client,
        "mct_span",
        {"target_mco": mcos["Priority Partners"].pk, "consumer_email": "maria@"},
    )
    assert "consumer_email" in response.context["form"].errors
    assert not Case.objects.exists()


def test_it_needs_no_phone_when_an_angela_melody_question_is_answered(csr_client, termination):
    response = _post(
        csr_client,
        "provider_termination",
        {
            "provider_termination": termination.pk,
            "angela_melody_outcome": "question_answered",
            "consumer_phone": "",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get().consumer_phone == ""


def test_the_outreach_form_shows_the_number_beside_the_attempts_made(
    client, supervisor, qc_lead, log_case
):
    case = log_case(best_time_to_call="Mornings")
    services.case_vet_false(case=case, by=qc_lead, reason="Not a tracker case")
    services.case_record_attempt(
        case=case,
        by=supervisor,
        made_on=timezone.localdate(),
        method="phone",
        reached=False,
        note="Voicemail",
    )
    client.force_login(supervisor)
    html = client.get(case.get_absolute_url()).content.decode()
    form = html[html.index('data-action="record_attempt"') :]
    form = form[: form.index("</form>")]
    assert '<a href="tel:+1-410-555-0142" class="phone">410-555-0142</a>' in form
    assert "Mornings" in form
    assert "Attempts made:</strong> 1 of 2" in form
    assert f"{timezone.localdate():%m/%d/%Y} by phone: not reached" in form
    assert "Voicemail" in form


def test_the_lists_do_not_show_the_contact(client, supervisor, qc_lead, csr, log_case):
    case = log_case(consumer_email="maria.lopez@example.org")
    client.force_login(qc_lead)
    for url in [reverse("cases:qc_queue")]:
        html = client.get(url).content.decode()
        assert case.number in html and "410-555-0142" not in html and "maria.lopez@" not in html
    services.case_vet_false(case=case, by=qc_lead, reason="Not a tracker case")
    for user, url in [(supervisor, "cases:outreach"), (csr, "cases:mine")]:
        client.force_login(user)
        html = client.get(reverse(url)).content.decode()
        assert case.number in html and "410-555-0142" not in html and "maria.lopez@" not in html


def test_it_keeps_the_phone_and_email_out_of_the_logs(client, csr, mcos, caplog):
    client.force_login(csr)
    with caplog.at_level(logging.DEBUG):
        _post(
            client,
            "mct_span",
            {
                "target_mco": mcos["Priority Partners"].pk,
                "consumer_phone": "410-555-0199 x12",  # refused: the form says why, nothing logs
                "consumer_email": "maria.lopez@example.org",
            },
        )
        _post(
            client,
            "mct_span",
            {
                "target_mco": mcos["Priority Partners"].pk,
                "consumer_phone": "410-555-0199",
                "consumer_email": "maria.lopez@example.org",
            },
        )
    assert Case.objects.count() == 1
    text = caplog.text
    assert "555-0199" not in text and "5550199" not in text and "maria.lopez" not in text
