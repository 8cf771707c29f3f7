"""Helpers for Preferred Assister Report tests: an OE5 period with leads sent to an organization,
the report downloaded through the real view and filled in with openpyxl as an assister would."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reports.assister_report import PAR_SPEC

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# OE5's first period (seed, "Reporting rhythm for OE5").
FIRST = dict(start=date(2017, 11, 1), end=date(2017, 11, 15))
SECOND = dict(start=date(2017, 11, 16), end=date(2017, 11, 29))


def download(client, report):
    response = client.get(reverse("reports:assister_report_download", args=[report.pk]))
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def data_sheet(workbook):
    return workbook[PAR_SPEC.sheet_title]


def row_of(workbook, referral) -> int:
    sheet = data_sheet(workbook)
    for row in range(2, sheet.max_row + 1):
        if sheet[f"A{row}"].value == referral.number:
            return row
    raise AssertionError(f"{referral.number} is not on the report")


def letter(key: str) -> str:
    return get_column_letter([c.key for c in PAR_SPEC.columns].index(key) + 1)


def fill(workbook, referral, /, **answers):
    """fill(wb, referral, contact_made="Y", contact_date=date(...), resolution="Enrolled in QHP")"""
    row = row_of(workbook, referral)
    for key, value in answers.items():
        data_sheet(workbook)[f"{letter(key)}{row}"] = value
    return workbook


def as_upload(workbook, name="preferred-assister-report.xlsx") -> SimpleUploadedFile:
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def upload(client, report, file):
    return client.post(reverse("reports:assister_report_upload", args=[report.pk]), {"file": file})


def confirm(client, upload_obj):
    return client.post(reverse("reports:assister_upload_confirm", args=[upload_obj.pk]))


GOOD_ANSWERS = dict(contact_made="Y", contact_date=date(2017, 11, 15), resolution="Enrolled in QHP")
