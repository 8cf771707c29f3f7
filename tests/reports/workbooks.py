"""Helpers for tests: download a sheet through the real view, fill it in as a user would with
openpyxl, and turn it back into an upload."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from reports.handoff import HANDOFF_SPEC

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def download_handoff(client):
    response = client.get(reverse("reports:handoff_export"))
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response_bytes(response)))


def column_letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    keys = [c.key for c in HANDOFF_SPEC.columns]
    return get_column_letter(keys.index(key) + 1)


def row_of(workbook, case) -> int:
    sheet = workbook[HANDOFF_SPEC.sheet_title]
    for row in range(2, sheet.max_row + 1):
        if sheet[f"A{row}"].value == case.number:
            return row
    raise AssertionError(f"{case.number} is not in the sheet")


def fill(workbook, target, /, **answers):
    """fill(wb, case, processed="Y", mmis_date=date(...), mmis_reference="R1", reason="")"""
    sheet = workbook[HANDOFF_SPEC.sheet_title]
    row = row_of(workbook, target)
    for key, value in answers.items():
        sheet[f"{column_letter(key)}{row}"] = value
    return workbook


def as_upload(workbook, name="handoff.xlsx") -> SimpleUploadedFile:
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def upload(client, file):
    return client.post(reverse("reports:handoff_upload"), {"file": file})
