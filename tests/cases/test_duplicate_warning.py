"""The intake warns before logging a case for an MA number an open case already holds, and
logs it anyway only with a reason, kept on the case (issue 13: MCO-000015 and MCO-000019)."""

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from cases.models import Case, Kind, Participant

pytestmark = pytest.mark.django_db


def _post(client, mcos, ma="1000000000 1", **extra):
    data = {
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "1",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-name": "Maria Lopez",
        "participants-0-ma_number": ma,
        "participants-0-ssn": "123-45-6789",
        "target_mco": mcos["Priority Partners"].pk,
        "issues_resolved": "no",
        "supervisor_requested": "no",
        "consumer_phone": "612-555-0142",
        **extra,
    }
    return client.post(reverse("cases:intake", args=["mct_span"]), data)


def test_it_warns_with_a_link_and_logs_nothing_without_a_reason(client, csr, mcos, log_case):
    open_case = log_case()  # MA 10000000001, escalated
    client.force_login(csr)
    response = _post(client, mcos)
    html = response.content.decode()
    assert response.status_code == 200
    assert Case.objects.count() == 1
    assert "An open case already holds this MA number" in html
    assert f'href="{open_case.get_absolute_url()}">{open_case.number}</a>' in html
    assert "Log anyway" in html


def test_log_anyway_records_the_reason_on_the_case_and_its_timeline(client, csr, mcos, log_case):
    log_case()
    client.force_login(csr)
    reason = "Consumer calls about a second MCO change for her son"
    response = _post(client, mcos, duplicate_reason=reason)
    new = Case.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.duplicate_reason == reason
    assert reason in StateLog.objects.for_(new).get(transition="log").description
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Logged despite an open case" in page and reason in page


def test_a_case_closed_as_done_raises_no_warning(client, csr, mcos, log_case):
    log_case(
        kind=Kind.PROVIDER_TERMINATION,
        angela_melody_outcome="question_answered",
        participants=[Participant(name="Maria Lopez", ma_number="10000000001", ssn="123456789")],
    )
    client.force_login(csr)
    response = _post(client, mcos)
    assert response.status_code == 302
    assert Case.objects.latest("pk").duplicate_reason == ""


def test_another_teams_open_case_is_named_without_a_link(client, csr, other_csr, mcos, log_case):
    theirs = log_case(by=other_csr)
    client.force_login(csr)
    html = _post(client, mcos).content.decode()
    assert theirs.number in html
    assert theirs.get_absolute_url() not in html
    assert Case.objects.count() == 1


def test_a_different_ma_number_is_logged_without_a_word(client, csr, mcos, log_case):
    log_case()
    client.force_login(csr)
    assert _post(client, mcos, ma="10000000002").status_code == 302
    assert Case.objects.count() == 2


def test_an_overlong_reason_is_refused_at_the_field(client, csr, mcos, log_case):
    log_case()
    client.force_login(csr)
    response = _post(client, mcos, duplicate_reason="x" * 5000)
    assert response.status_code == 200
    assert response.context["reason_form"].errors["duplicate_reason"]
    assert Case.objects.count() == 1
