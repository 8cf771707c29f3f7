"""QC bulk vetting from the queue: all selected cases or none."""

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from cases import services
from cases.models import Case
from cases.states import State

URL = reverse("cases:qc_bulk_vet")


@pytest.fixture
def queue(log_case, qc_lead, monitor):
    escalated = [log_case(), log_case(kind="for_cause")]
    returned = services.case_vet_true(case=log_case(), by=qc_lead)
    services.case_return_unprocessed(case=returned, by=monitor, reason="No span in MMIS")
    return escalated, returned


def _states(cases):
    return [Case.objects.get(pk=case.pk).state for case in cases]


def test_it_vets_the_selection_true_with_a_summary(client, qc_lead, queue):
    escalated, _ = queue
    client.force_login(qc_lead)
    response = client.post(
        URL, {"selection": [c.pk for c in escalated], "verdict": "true"}, follow=True
    )
    assert _states(escalated) == [State.TRUE_TRACKER] * 2
    message = str(list(response.context["messages"])[0])
    assert message.startswith("Vetted 2 case(s) true")
    assert all(case.number in message for case in escalated)


def test_it_vets_false_and_notifies_the_supervisor(
    client, qc_lead, queue, mailoutbox, django_capture_on_commit_callbacks
):
    escalated, _ = queue
    client.force_login(qc_lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL,
            {"selection": [c.pk for c in escalated], "verdict": "false", "reason": "Duplicate"},
        )
    assert _states(escalated) == [State.OUTREACH_REQUIRED] * 2
    assert len(mailoutbox) == 2


def test_it_changes_none_when_one_selected_case_cannot_be_vetted(
    client, qc_lead, queue, mailoutbox, django_capture_on_commit_callbacks
):
    escalated, returned = queue
    logs_before = StateLog.objects.count()
    client.force_login(qc_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "selection": [*(c.pk for c in escalated), returned.pk],
                "verdict": "false",
                "reason": "Not a tracker case",
            },
            follow=True,
        )
    assert _states(escalated) == [State.ESCALATED] * 2
    assert _states([returned]) == [State.RETURNED_BY_MONITOR]
    assert StateLog.objects.count() == logs_before
    assert mailoutbox == []
    message = str(list(response.context["messages"])[0])
    assert message.startswith("Nothing was vetted")
    assert returned.number in message


def test_it_requires_a_reason_to_vet_false(client, qc_lead, queue):
    escalated, _ = queue
    client.force_login(qc_lead)
    response = client.post(
        URL, {"selection": [c.pk for c in escalated], "verdict": "false"}, follow=True
    )
    assert _states(escalated) == [State.ESCALATED] * 2
    assert "reason is required" in str(list(response.context["messages"])[0])


def test_it_refuses_cases_outside_the_queue(client, qc_lead, queue, log_case):
    escalated, _ = queue
    vetted = services.case_vet_true(case=log_case(), by=qc_lead)
    client.force_login(qc_lead)
    client.post(URL, {"selection": [escalated[0].pk, vetted.pk], "verdict": "true"})
    assert _states([escalated[0], vetted]) == [State.ESCALATED, State.TRUE_TRACKER]


def test_it_keeps_the_filters_when_returning_to_the_queue(client, qc_lead, queue):
    escalated, _ = queue
    client.force_login(qc_lead)
    response = client.post(
        URL, {"selection": [escalated[0].pk], "verdict": "true", "query": "kind=mct_span&page=1"}
    )
    assert response.url == reverse("cases:qc_queue") + "?kind=mct_span&page=1"


@pytest.mark.parametrize("outsider", ["csr", "supervisor", "monitor"])
def test_it_refuses_users_who_are_not_qc(client, request, outsider, queue):
    escalated, _ = queue
    client.force_login(request.getfixturevalue(outsider))
    response = client.post(URL, {"selection": [escalated[0].pk], "verdict": "true"})
    assert response.status_code == 403
    assert _states(escalated) == [State.ESCALATED] * 2


def test_it_refuses_anonymous_users(client, queue):
    escalated, _ = queue
    response = client.post(URL, {"selection": [escalated[0].pk], "verdict": "true"})
    assert response.status_code == 302
    assert _states(escalated) == [State.ESCALATED] * 2


# ---- issue 11: hostile selections and a failed vetting that keeps the user's work -------------
@pytest.mark.parametrize(
    "selection",
    [
        [str(2**63)],  # past the largest id: OverflowError on SQLite before
        ["9" * 30],
        ["9" * 5000],  # past Python's int-from-text limit
        ["²"],  # a digit to str.isdigit, not to int()
        ["-3"],
        ["1e3"],
    ],
)
def test_it_refuses_a_selection_that_cannot_be_case_ids_without_a_server_error(
    client, qc_lead, queue, selection
):
    escalated, _ = queue
    client.force_login(qc_lead)
    response = client.post(
        URL, {"selection": [escalated[0].pk, *selection], "verdict": "true"}, follow=True
    )
    assert response.status_code == 200
    assert _states(escalated) == [State.ESCALATED] * 2
    assert "not a list of cases" in str(list(response.context["messages"])[0])


def test_it_reads_the_failure_message_as_one_sentence(client, qc_lead, queue):
    escalated, returned = queue
    client.force_login(qc_lead)
    response = client.post(
        URL,
        {"selection": [escalated[0].pk, returned.pk], "verdict": "true"},
        follow=True,
    )
    message = str(list(response.context["messages"])[0])
    assert message.endswith("not possible from there. Fix the selection.")
    assert ".." not in message


def test_it_keeps_the_selection_and_the_reason_after_a_failed_vetting(client, qc_lead, queue):
    escalated, returned = queue
    client.force_login(qc_lead)
    response = client.post(
        URL,
        {
            "selection": [escalated[0].pk, returned.pk],
            "verdict": "false",
            "reason": "Consumer chose it on the recording",
        },
        follow=True,
    )
    html = response.content.decode()
    assert f'value="{escalated[0].pk}" checked' in html
    assert f'value="{returned.pk}" checked' in html
    assert f'value="{escalated[1].pk}" checked' not in html
    assert "Consumer chose it on the recording</textarea>" in html
    # Kept for the next view only: reloading the queue starts clean.
    html = client.get(reverse("cases:qc_queue")).content.decode()
    assert "checked" not in html.replace("data-select-all", "")


def test_it_refuses_a_reason_longer_than_the_limit(client, qc_lead, queue):
    from tracker import limits

    escalated, _ = queue
    client.force_login(qc_lead)
    response = client.post(
        URL,
        {"selection": [escalated[0].pk], "verdict": "false", "reason": "x" * (limits.REASON + 1)},
        follow=True,
    )
    assert _states(escalated[:1]) == [State.ESCALATED]
    assert "at most 1000 characters" in str(list(response.context["messages"])[0])
