"""A State Monitor downloads the hand-off, fills it in, uploads it, checks the preview,
confirms, and sees the cases move."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases import services
from cases.models import Case
from cases.states import State

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_takes_the_handoff_out_and_back_in(
    page, live_server, login, shot, monitor, log_case, qc_lead, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    processed = services.case_vet_true(case=log_case(), by=qc_lead)
    returned = services.case_vet_true(case=log_case(kind="for_cause"), by=qc_lead)

    login(monitor)
    page.get_by_role("link", name="Hand-off").first.click()
    page.wait_for_url(f"{live_server.url}/reports/handoff/")
    assert page.get_by_text("2 true tracker cases waiting").is_visible()
    shot("handoff")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the hand-off sheet (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("state-monitor-handoff-")
    sheet_path = tmp_path / "handoff.xlsx"
    download.save_as(sheet_path)

    workbook = load_workbook(sheet_path)
    sheet = workbook["State Monitor hand-off"]
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    for row in range(2, sheet.max_row + 1):
        number = sheet.cell(row=row, column=1).value
        if number == processed.number:
            sheet.cell(row=row, column=column["Processed in MMIS (Y/N)"], value="Y")
            sheet.cell(row=row, column=column["MMIS date"], value=timezone.localdate())
            sheet.cell(row=row, column=column["MMIS reference"], value="MMIS-55120")
        elif number == returned.number:
            sheet.cell(row=row, column=column["Processed in MMIS (Y/N)"], value="N")
            sheet.cell(row=row, column=column["Reason not processed"], value="Consumer not in MMIS")
    filled = io.BytesIO()
    workbook.save(filled)

    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "filled.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": filled.getvalue(),
            }
        ],
    )
    page.get_by_role("button", name="Check the sheet").click()
    page.wait_for_url(f"{live_server.url}/reports/uploads/*/")
    assert page.locator("[data-count=processed]").inner_text() == "1"
    assert page.locator("[data-count=returned]").inner_text() == "1"
    assert page.locator("[data-count=errors]").inner_text() == "0"
    shot("preview")
    assert Case.objects.get(pk=processed.pk).state == State.TRUE_TRACKER  # nothing yet

    page.get_by_role("button", name="Confirm and apply").click()
    page.wait_for_load_state()
    assert page.get_by_text("Applied: 1 processed in MMIS, 1 returned to QC.").is_visible()
    shot("applied")

    assert Case.objects.get(pk=processed.pk).state == State.PROCESSED
    assert Case.objects.get(pk=returned.pk).state == State.RETURNED_BY_MONITOR

    applied_rows = page.locator("table.table tbody tr")
    assert (
        applied_rows.filter(has_text=processed.number)
        .filter(has_text="Processed in MMIS")
        .is_visible()
    )
    assert (
        applied_rows.filter(has_text=returned.number).filter(has_text="Returned to QC").is_visible()
    )

    page.get_by_role("link", name="Uploads").first.click()
    assert page.get_by_text("filled.xlsx").is_visible()
    shot("history")

    page.get_by_role("link", name="Hand-off").first.click()
    assert page.get_by_text("0 true tracker cases waiting").is_visible()
    shot("handoff-empty")
