"""Django admin: scoped lists, masked SSNs, transition buttons only for those allowed."""

import pytest
from django.urls import reverse

from cases.models import Kind


@pytest.fixture
def staff(csr, qc_lead, monitor):
    for user in (csr, qc_lead, monitor):
        user.is_staff = True
        user.save()
    return csr, qc_lead, monitor


def change_url(case):
    return reverse("admin:cases_case_change", args=[case.pk])


def test_it_shows_the_vet_buttons_to_qc_but_not_to_the_csr(client, staff, log_case):
    csr, qc_lead, _ = staff
    case = log_case()
    client.force_login(qc_lead)
    page = client.get(change_url(case)).content.decode()
    assert "vet_true" in page and "vet_false" in page

    client.force_login(csr)
    page = client.get(change_url(case)).content.decode()
    assert "vet_true" not in page


def test_it_refuses_a_transition_posted_by_someone_not_allowed(client, staff, log_case):
    csr, _, _ = staff
    case = log_case()
    client.force_login(csr)
    url = reverse("admin:cases_case_transition", args=[case.pk, "vet_true"])
    client.post(url, {"note": ""})
    case.refresh_from_db()
    assert case.state == "escalated"


def test_it_runs_a_transition_through_its_service(client, staff, log_case):
    _, qc_lead, _ = staff
    case = log_case()
    client.force_login(qc_lead)
    url = reverse("admin:cases_case_transition", args=[case.pk, "vet_false"])
    assert client.post(url, {"reason": ""}).status_code == 200  # reason required: form again
    client.post(url, {"reason": "Consumer picked it"})
    case.refresh_from_db()
    assert case.state == "outreach_required"


def test_it_lists_only_the_cases_a_csr_may_see(client, staff, log_case, other_csr):
    csr, _, _ = staff
    mine = log_case()
    theirs = log_case(by=other_csr)
    client.force_login(csr)
    page = client.get(reverse("admin:cases_case_changelist")).content.decode()
    assert mine.number in page and theirs.number not in page
    assert client.get(change_url(theirs)).status_code == 302  # admin: "doesn't exist"


def test_it_masks_ssns_in_admin_except_for_state_monitors(client, staff, log_case, qc_lead):
    _, qc_lead, monitor = staff
    case = log_case(kind=Kind.MCT_SPAN)
    from cases.services import case_vet_true

    case_vet_true(case=case, by=qc_lead)
    client.force_login(qc_lead)
    page = client.get(change_url(case)).content.decode()
    assert "***-**-6789" in page and "123456789" not in page
    client.force_login(monitor)
    page = client.get(change_url(case)).content.decode()
    assert "123456789" in page
