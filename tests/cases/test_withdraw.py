"""Withdrawing a case logged in error (issue 13, part 4; DESIGN.md "New states"). Who may, in
every state, is in test_state_machine's table; here: the page, the reason, the taxonomy and the
work lists."""

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from cases import queues, services
from cases.states import State


def _withdraw(client, case, reason="Logged in error: wrong consumer"):
    return client.post(reverse("cases:transition", args=[case.pk, "withdraw"]), {"reason": reason})


def test_it_lets_the_csr_withdraw_an_escalated_case_with_a_reason(client, csr, log_case):
    case = log_case()
    client.force_login(csr)

    response = _withdraw(client, case)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.WITHDRAWN
    assert case.withdrawn_from == State.ESCALATED
    log = StateLog.objects.for_(case).latest("pk")
    assert (log.transition, log.by, log.description) == (
        "withdraw",
        csr,
        "Logged in error: wrong consumer",
    )
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Withdrawn (logged in error)" in html
    assert "Logged in error: wrong consumer" in html  # the reason on the timeline
    assert 'data-action="' not in html  # terminal: nothing left to do


def test_it_shows_the_taxonomy_of_the_state_it_left_closed(csr, qc_lead, log_case):
    case = services.case_withdraw(case=log_case(), by=csr, reason="Duplicate")
    taxonomy = case.taxonomy
    assert (taxonomy.sub_category, taxonomy.disposition, taxonomy.status, taxonomy.owner_queue) == (
        "NA",
        "Plan Selected in Error",
        "Closed",  # was Escalated
        "MHBE CRM Escalations",
    )
    vetted = services.case_vet_false(case=log_case(), by=qc_lead, reason="Not a tracker case")
    withdrawn = services.case_withdraw(case=vetted, by=qc_lead, reason="Wrong consumer")
    assert withdrawn.taxonomy.disposition == "Outreach Required"
    assert withdrawn.taxonomy.status == "Closed"


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_requires_a_reason(client, csr, log_case, reason):
    case = log_case()
    client.force_login(csr)
    response = _withdraw(client, case, reason)
    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.ESCALATED
    with pytest.raises(ValueError, match="reason is required"):
        services.case_withdraw(case=case, by=csr, reason=reason)


def test_it_refuses_the_csr_after_vetting_and_another_csr_at_all(
    client, csr, other_csr, qc_lead, log_case
):
    mine = log_case()
    client.force_login(other_csr)
    assert _withdraw(client, mine).status_code == 404

    vetted = services.case_vet_true(case=log_case(), by=qc_lead)
    client.force_login(csr)
    assert _withdraw(client, vetted).status_code == 403
    vetted.refresh_from_db()
    assert vetted.state == State.TRUE_TRACKER

    client.force_login(qc_lead)
    assert _withdraw(client, vetted).status_code == 302
    vetted.refresh_from_db()
    assert vetted.state == State.WITHDRAWN


def test_withdrawn_cases_leave_every_work_list(client, csr, supervisor, qc_lead, monitor, log_case):
    escalated = log_case()
    true_case = services.case_vet_true(case=log_case(), by=qc_lead)
    outreach = services.case_vet_false(case=log_case(), by=qc_lead, reason="Not a tracker case")
    assert escalated in queues.qc_queue(qc_lead)
    assert true_case in queues.monitor_list(monitor)
    assert outreach in queues.supervisor_list(supervisor)

    services.case_withdraw(case=escalated, by=supervisor, reason="Duplicate of another case")
    services.case_withdraw(case=true_case, by=qc_lead, reason="Wrong consumer")
    services.case_withdraw(case=outreach, by=qc_lead, reason="Wrong consumer")

    assert not queues.qc_queue(qc_lead).exists()
    assert not queues.monitor_list(monitor).exists()
    assert not queues.supervisor_list(supervisor).exists()
    client.force_login(qc_lead)
    assert escalated.number not in client.get(reverse("cases:qc_queue")).content.decode()
    client.force_login(supervisor)
    assert outreach.number not in client.get(reverse("cases:outreach")).content.decode()
