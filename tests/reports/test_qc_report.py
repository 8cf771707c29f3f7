import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import services
from cases.models import Case, Participant
from tracker.models import IdentifierAccess

from .workbooks import response_bytes


def exported_rows(response):
    sheet = load_workbook(io.BytesIO(response_bytes(response)))["QC report"]
    header = [c.value for c in sheet[1]]
    return [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


@pytest.fixture
def qc_cases(log_case, monitor, mcos, qc_lead):
    escalated = log_case(kind="mct_span")
    updated = log_case(kind="provider_termination")
    returned = log_case(kind="for_cause")
    services.case_vet_true(case=returned, by=qc_lead)
    services.case_return_unprocessed(case=returned, by=monitor, reason="Not in MMIS")
    vetted = services.case_vet_true(case=log_case(kind="mct_span"), by=qc_lead)
    return {"escalated": escalated, "updated": updated, "returned": returned, "vetted": vetted}


def test_it_exports_the_cases_waiting_for_qc(client, qc_lead, qc_cases):
    client.force_login(qc_lead)
    response = client.get(reverse("reports:qc_report_export"))
    assert response.status_code == 200
    assert re.search(
        r'filename="qc-report-\d{4}-\d\d-\d\d-\d{4}\.xlsx"', response["Content-Disposition"]
    )
    rows = exported_rows(response)
    numbers = {row["Case number"] for row in rows}
    wanted = ("escalated", "updated", "returned")
    assert numbers == {qc_cases[key].number for key in wanted}
    returned = next(r for r in rows if r["Case number"] == qc_cases["returned"].number)
    assert returned["Times returned by State Monitor"] == 1
    assert returned["SSN(s)"] == "***-**-6789"  # QC Leads do not see full SSNs
    assert not IdentifierAccess.objects.exists()


def test_it_honours_the_filters(client, qc_lead, qc_cases, mcos):
    client.force_login(qc_lead)
    response = client.get(reverse("reports:qc_report_export"), {"kind": "provider_termination"})
    assert [r["Case number"] for r in exported_rows(response)] == [qc_cases["updated"].number]
    response = client.get(
        reverse("reports:qc_report_export"), {"target_mco": mcos["Priority Partners"].pk}
    )
    assert {r["Case number"] for r in exported_rows(response)} == {
        qc_cases["escalated"].number,
        qc_cases["returned"].number,
    }
    Case.objects.filter(pk=qc_cases["escalated"].pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    recent = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = client.get(reverse("reports:qc_report_export"), {"created_after": recent})
    assert qc_cases["escalated"].number not in {r["Case number"] for r in exported_rows(response)}


def test_it_records_exports_with_full_identifiers(client, admin_user, qc_cases):
    client.force_login(admin_user)
    rows = exported_rows(client.get(reverse("reports:qc_report_export")))
    assert rows[0]["SSN(s)"] == "123-45-6789"
    access = IdentifierAccess.objects.get()
    assert (access.user, access.what) == (admin_user, "QC report")
    assert access.object_ids == sorted(
        qc_cases[key].pk for key in ("escalated", "updated", "returned")
    )


def test_it_shows_the_filter_page_with_a_download_link_keeping_the_filters(
    client, qc_lead, qc_cases
):
    client.force_login(qc_lead)
    page = client.get(reverse("reports:qc_report"), {"kind": "mct_span"}).content.decode()
    assert "<strong>1</strong> case match" in page
    assert f"{reverse('reports:qc_report_export')}?kind=mct_span" in page


def test_it_neutralises_formulas_in_participant_names(client, qc_lead, log_case):
    log_case(participants=[Participant(name="=1+1", ma_number="10000000009", ssn="111223333")])
    client.force_login(qc_lead)
    rows = exported_rows(client.get(reverse("reports:qc_report_export")))
    assert rows[0]["Participant name(s)"] == "'=1+1"


@pytest.mark.parametrize("role_user", ["csr", "monitor", "supervisor"])
@pytest.mark.parametrize("url_name", ["reports:qc_report", "reports:qc_report_export"])
def test_it_refuses_other_roles(client, request, role_user, url_name, db):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse(url_name)).status_code == 403


def test_it_offers_the_filtered_queue_as_xlsx_from_the_qc_queue(client, qc_lead, qc_cases, mcos):
    client.force_login(qc_lead)
    mco = mcos["Priority Partners"].pk
    page = client.get(reverse("cases:qc_queue"), {"target_mco": mco}).content.decode()
    assert f"{reverse('reports:qc_report_export')}?target_mco={mco}" in page


def test_it_counts_age_in_business_days_like_the_queue(client, qc_lead, qc_cases):
    from cases.tables import case_age

    case = qc_cases["escalated"]
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=14))
    case.refresh_from_db()
    client.force_login(qc_lead)
    rows = exported_rows(client.get(reverse("reports:qc_report_export")))
    (row,) = [r for r in rows if r["Case number"] == case.number]
    assert row["Age (business days)"] == case_age(case) <= 10  # not 14 calendar days
    queue = client.get(reverse("cases:qc_queue")).content.decode()
    assert f">{case_age(case)}</span>" in queue  # the age the QC lead sees on screen
