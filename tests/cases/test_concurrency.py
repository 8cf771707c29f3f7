"""Two people acting on one case at once: exactly one wins, the other is told."""

import threading

import pytest
from django.db import connection, connections

from cases.models import Case
from cases.services import CaseConflict, case_vet_false, case_vet_true


def test_it_refuses_a_transition_on_a_stale_copy(log_case, qc_lead):
    case = log_case()
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    case_vet_true(case=mine, by=qc_lead)

    with pytest.raises(CaseConflict, match="changed by someone else"):
        case_vet_false(case=theirs, by=qc_lead, reason="Not true")

    case.refresh_from_db()
    assert case.state == "true_tracker"
    assert case.outreach_attempts.count() == 0


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_simultaneous_transitions_win(log_case, qc_lead):
    if connection.vendor != "postgresql":
        pytest.skip("real row locking needs PostgreSQL (CI runs this on PostgreSQL)")
    case = log_case()
    barrier = threading.Barrier(2)
    outcomes = []

    def vet(service, **kwargs):
        try:
            copy = Case.objects.get(pk=case.pk)
            barrier.wait()
            service(case=copy, by=qc_lead, **kwargs)
            outcomes.append("won")
        except CaseConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=vet, args=(case_vet_true,)),
        threading.Thread(target=vet, args=(case_vet_false,), kwargs={"reason": "Not true"}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["conflict", "won"]
    case.refresh_from_db()
    assert case.state in {"true_tracker", "outreach_required"}
