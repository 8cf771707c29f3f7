"""Transitions from the case page: hidden cases, a successful step, and a late second user."""

from django.urls import reverse

from cases.services import case_vet_true


def test_it_hides_a_case_from_a_csr_of_another_team(client, log_case, other_csr):
    case = log_case()
    client.force_login(other_csr)
    assert client.get(case.get_absolute_url()).status_code == 404


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
