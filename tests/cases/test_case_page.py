"""The case page and its transition POSTs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases import services
from cases.models import Case
from cases.states import State
from tracker.models import IdentifierAccess


def _transition(case, action):
    return reverse("cases:transition", args=[case.pk, action])


def test_it_shows_the_seven_taxonomy_fields_and_masks_ssns_for_a_csr(client, csr, log_case):
    case = log_case()
    client.force_login(csr)
    html = client.get(case.get_absolute_url()).content.decode()
    for label in ["Case Record Type", "Category", "Sub-Category", "Disposition",
                  "Child Disposition", "Status", "Owner"]:  # fmt: skip
        assert f"<dt>{label}</dt>" in html
    assert "Plan Selected in Error" in html and "MHBE CRM Escalations" in html
    assert "***-**-6789" in html and "123-45-6789" not in html
    # On an escalated case a CSR can only withdraw it (logged in error).
    assert html.count('data-action="') == 1 and 'data-action="withdraw"' in html
    assert not IdentifierAccess.objects.exists()


def test_it_shows_a_state_monitor_full_ssns_and_logs_it(client, monitor, qc_lead, log_case):
    case = services.case_vet_true(case=log_case(), by=qc_lead)
    client.force_login(monitor)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "123-45-6789" in html
    assert 'data-action="mark_processed"' in html and 'data-action="return_unprocessed"' in html
    assert 'data-action="vet_true"' not in html
    assert IdentifierAccess.objects.get(user=monitor).object_ids == [case.pk]


def test_it_shows_the_qc_lead_only_the_vetting_actions(client, qc_lead, log_case):
    client.force_login(qc_lead)
    html = client.get(log_case().get_absolute_url()).content.decode()
    assert 'data-action="vet_true"' in html and 'data-action="vet_false"' in html
    assert 'data-action="record_attempt"' not in html


def test_it_shows_each_outreach_attempt_once_on_the_timeline(client, supervisor, qc_lead, log_case):
    case = services.case_vet_false(case=log_case(), by=qc_lead, reason="Not a tracker case")
    today = timezone.localdate()
    for reached in (False, True):
        services.case_record_attempt(
            case=case, by=supervisor, made_on=today, method="phone", reached=reached, note="Hi"
        )
    client.force_login(supervisor)
    response = client.get(case.get_absolute_url())
    timeline = response.context["timeline"]
    assert [entry["title"] for entry in timeline] == [
        "Escalated",
        "Outreach Required",
        "Outreach 1st Attempt",
        "Outreach Completed",
    ]
    assert timeline[2]["detail"] == (
        f"Outreach attempt 1 by Phone on {today:%m/%d/%Y}: not reached. Hi"
    )
    assert response.content.decode().count("Outreach attempt 1 by Phone") == 1


@pytest.mark.parametrize(
    "who, action, data, status",
    [
        ("csr", "vet_true", {}, 403),
        ("supervisor", "vet_false", {"reason": "crafted"}, 403),
        ("qc_lead", "mark_processed", {"mmis_date": "2026-01-02", "mmis_reference": "X"}, 403),
        ("monitor", "require_outreach", {"reason": "crafted"}, 403),
        # A State Monitor may not even see an unvetted case: 404 hides that it exists.
        ("monitor", "vet_true", {}, 404),
    ],
)
def test_it_refuses_a_crafted_transition_post_with_403(
    client, request, log_case, qc_lead, monitor, who, action, data, status
):
    case = log_case()
    if action in {"mark_processed", "require_outreach"}:
        case = services.case_vet_true(case=case, by=qc_lead)
    if action == "require_outreach":
        case = services.case_return_unprocessed(case=case, by=monitor, reason="No span")
    before = Case.objects.get(pk=case.pk).state
    logs = StateLog.objects.count()
    client.force_login(request.getfixturevalue(who))
    response = client.post(_transition(case, action), data)
    assert response.status_code == status
    assert Case.objects.get(pk=case.pk).state == before
    assert StateLog.objects.count() == logs


def test_it_refuses_another_teams_supervisor_recording_an_attempt(
    client, other_supervisor, supervisor, qc_lead, log_case
):
    case = services.case_vet_false(case=log_case(), by=qc_lead, reason="Not a tracker case")
    client.force_login(other_supervisor)
    response = client.post(
        _transition(case, "record_attempt"),
        {"made_on": timezone.localdate().isoformat(), "method": "phone", "reached": "no"},
    )
    assert response.status_code == 404  # not theirs: not even visible
    assert Case.objects.get(pk=case.pk).state == State.OUTREACH_REQUIRED
    assert not case.outreach_attempts.exists()


def test_it_refuses_a_visible_case_step_the_user_may_not_take_with_403(
    client, csr, log_case, qc_lead
):
    case = services.case_vet_false(case=log_case(), by=qc_lead, reason="Not a tracker case")
    client.force_login(csr)  # the CSR sees their case but may not record outreach
    response = client.post(
        _transition(case, "record_attempt"),
        {"made_on": timezone.localdate().isoformat(), "method": "phone", "reached": "no"},
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).state == State.OUTREACH_REQUIRED


def test_it_refuses_anonymous_and_roleless_users(client, log_case, pal_rep):
    case = log_case()
    assert client.get(case.get_absolute_url()).status_code == 302
    client.force_login(pal_rep)
    assert client.get(case.get_absolute_url()).status_code == 403
    assert client.post(_transition(case, "vet_true")).status_code == 403
    assert Case.objects.get(pk=case.pk).state == State.ESCALATED


def test_it_lets_qc_relabel_a_returned_case_for_outreach(client, qc_lead, monitor, log_case):
    case = services.case_vet_true(case=log_case(), by=qc_lead)
    services.case_return_unprocessed(case=case, by=monitor, reason="No span in MMIS")
    client.force_login(qc_lead)
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-action="require_outreach"' in html and "returned 1×" in html
    response = client.post(_transition(case, "require_outreach"), {"reason": ""})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.OUTREACH_REQUIRED


def test_it_keeps_the_form_and_changes_nothing_on_invalid_input(client, monitor, qc_lead, log_case):
    case = services.case_vet_true(case=log_case(), by=qc_lead)
    client.force_login(monitor)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        _transition(case, "mark_processed"), {"mmis_date": tomorrow, "mmis_reference": ""}
    )
    assert response.status_code == 200
    assert "This date cannot be in the future." in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.TRUE_TRACKER
