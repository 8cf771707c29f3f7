"""The case page and its transition endpoint (server-side checks on every step)."""

import pytest
from django.urls import reverse

from cases.models import Kind
from cases.services import case_vet_true
from tracker.models import IdentifierAccess


def test_it_sends_anonymous_visitors_to_log_in(client, log_case):
    case = log_case()
    response = client.get(case.get_absolute_url())
    assert response.status_code == 302 and "/login/" in response.url


def test_it_hides_a_case_from_a_csr_of_another_team(client, log_case, other_csr):
    case = log_case()
    client.force_login(other_csr)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_it_refuses_a_crafted_transition_with_403(client, log_case, csr):
    case = log_case()
    client.force_login(csr)
    response = client.post(reverse("cases:transition", args=[case.pk, "vet_true"]))
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == "escalated"


def test_it_refuses_the_supervisor_of_another_team_with_404(
    client, log_case, qc_lead, other_supervisor
):
    case = log_case()
    from cases.services import case_vet_false

    case_vet_false(case=case, by=qc_lead, reason="x")
    client.force_login(other_supervisor)
    url = reverse("cases:transition", args=[case.pk, "record_attempt"])
    response = client.post(url, {"made_on": "2026-11-02", "method": "phone", "reached": "no"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == "outreach_required"


def test_it_vets_a_case_from_the_case_page(client, log_case, qc_lead):
    case = log_case()
    client.force_login(qc_lead)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Vet true" in page and "Record outreach attempt" not in page
    response = client.post(reverse("cases:transition", args=[case.pk, "vet_true"]), {"note": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "true_tracker"


def test_it_tells_a_late_second_user_the_case_moved(client, log_case, qc_lead):
    case = log_case()
    case_vet_true(case=case, by=qc_lead)
    client.force_login(qc_lead)
    response = client.post(
        reverse("cases:transition", args=[case.pk, "vet_false"]), {"reason": "x"}, follow=True
    )
    assert "no longer possible" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "true_tracker"


@pytest.mark.parametrize("role_fixture,full", [("qc_lead", False), ("monitor", True)])
def test_it_shows_full_ssns_only_to_state_monitors_and_logs_it(
    client, log_case, qc_lead, monitor, role_fixture, full, request
):
    case = log_case(kind=Kind.MCT_SPAN)
    case_vet_true(case=case, by=qc_lead)
    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert ("123-45-6789" in page) is full
    assert "***-**-6789" in page or full
    assert IdentifierAccess.objects.filter(user=user, object_ids=[case.pk]).exists() is full
