import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Participant
from tracker.models import IdentifierAccess

from .workbooks import response_bytes


def test_it_exports_true_tracker_cases_with_full_identifiers(client, monitor, true_case, log_case):
    case = true_case(
        participants=[
            Participant(
                name='=HYPERLINK("http://evil.example","x")',
                ma_number="12345678901",
                ssn="287654321",
            )
        ]
    )
    waiting_for_qc = log_case()
    client.force_login(monitor)

    response = client.get(reverse("reports:handoff_export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert re.search(
        r'attachment; filename="state-monitor-handoff-\d{4}-\d\d-\d\d-\d{4}\.xlsx"',
        response["Content-Disposition"],
    )
    sheet = load_workbook(io.BytesIO(response_bytes(response)))["State Monitor hand-off"]
    header = [c.value for c in sheet[1]]
    assert header[-5:-1] == [
        "Processed in MMIS (Y/N)",
        "MMIS date",
        "MMIS reference",
        "Reason not processed",
    ]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [case.number]  # not the case still waiting for QC
    row = dict(zip(header, rows[0], strict=True))
    assert row["SSN(s)"] == "287-65-4321"
    assert row["MA number(s)"] == "12345678901"
    # A participant name starting with "=" comes out as text, not a formula.
    name_cell = sheet.cell(row=2, column=header.index("Participant name(s)") + 1)
    assert name_cell.data_type == "s"
    assert name_cell.value == '\'=HYPERLINK("http://evil.example","x")'
    assert row["Processed in MMIS (Y/N)"] is None
    assert waiting_for_qc.number not in str(rows)


def test_it_gives_the_state_monitor_dropdowns_and_date_checks(client, monitor, true_case):
    true_case()
    true_case()
    client.force_login(monitor)
    workbook = load_workbook(
        io.BytesIO(response_bytes(client.get(reverse("reports:handoff_export"))))
    )
    sheet = workbook["State Monitor hand-off"]
    header = [c.value for c in sheet[1]]
    letter = {name: chr(ord("A") + header.index(name)) for name in header}
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    yes_no = validations[
        f"{letter['Processed in MMIS (Y/N)']}2:{letter['Processed in MMIS (Y/N)']}3"
    ]
    assert yes_no.type == "list" and yes_no.formula1 == "'Lists'!$A$1:$A$2"
    assert [workbook["Lists"]["A1"].value, workbook["Lists"]["A2"].value] == ["Y", "N"]
    mmis_date = validations[f"{letter['MMIS date']}2:{letter['MMIS date']}3"]
    assert mmis_date.type == "date" and mmis_date.formula2 == "TODAY()"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions[letter["Row check (do not edit)"]].hidden
    assert workbook["About"].sheet_state == "veryHidden"


def test_it_records_who_exported_which_cases(client, monitor, true_case):
    cases = [true_case(), true_case()]
    client.force_login(monitor)
    response_bytes(client.get(reverse("reports:handoff_export")))
    access = IdentifierAccess.objects.get()
    assert access.user == monitor
    assert access.action == IdentifierAccess.EXPORT
    assert access.what == "State Monitor hand-off"
    assert access.object_ids == sorted(c.pk for c in cases)


def test_it_shows_the_handoff_page(client, monitor, true_case):
    true_case()
    client.force_login(monitor)
    page = client.get(reverse("reports:handoff")).content.decode()
    assert "<strong>1</strong> true tracker case waiting" in page
    assert reverse("reports:handoff_export") in page


@pytest.mark.parametrize("role_user", ["csr", "qc_lead", "supervisor", "pal_coordinator"])
@pytest.mark.parametrize(
    "url_name", ["reports:handoff", "reports:handoff_export", "reports:uploads"]
)
def test_it_refuses_other_roles(client, request, role_user, url_name, true_case):
    true_case()
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse(url_name)).status_code == 403
    assert not IdentifierAccess.objects.exists()


def test_it_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("reports:handoff_export"))
    assert response.status_code == 302 and "/login/" in response.url
