"""Whole-file refusals on the hand-off upload: each keeps every case where it was."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cases.models import Case
from cases.states import State
from reports.models import Upload
from reports.sheets.writer import ABOUT_SHEET

from .workbooks import as_upload, download_handoff, fill, upload


def _bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def not_ours(client, case):
    workbook = Workbook()
    workbook.active.append(["Case number", "Processed in MMIS (Y/N)"])
    workbook.active.append([case.number, "Y"])
    return _bytes(workbook)


def wrong_version(client, case):
    workbook = fill(download_handoff(client), case, processed="N", reason="Could not")
    workbook[ABOUT_SHEET]["B2"] = 0
    return _bytes(workbook)


def renamed_columns(client, case):
    workbook = fill(download_handoff(client), case, processed="N", reason="Could not")
    workbook["State Monitor hand-off"]["B1"] = "Something else"
    return _bytes(workbook)


def not_xlsx(client, case):
    return f"Case number,Processed\n{case.number},Y\n".encode()


def empty(client, case):
    return b""


def old_excel(client, case):
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000  # .xls (OLE2) header


def zip_bomb(client, case):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


def no_rows(client, case):
    workbook = download_handoff(client)
    sheet = workbook["State Monitor hand-off"]
    sheet.delete_rows(2, sheet.max_row)
    return _bytes(workbook)


@pytest.mark.parametrize(
    "make, message",
    [
        (not_ours, "This is not a “State Monitor hand-off” sheet downloaded from Exchange Tracker"),
        (wrong_version, "older or different layout (version 0; the current one is version 1)"),
        (renamed_columns, "The columns of the sheet have been changed"),
        (not_xlsx, "This file is not an Excel workbook (.xlsx)"),
        (old_excel, "This file is not an Excel workbook (.xlsx)"),
        (empty, "The file is empty."),
        (zip_bomb, "zip bomb"),
        (no_rows, "The sheet has no rows."),
    ],
)
def test_it_refuses_files_it_cannot_trust(client, monitor, true_case, make, message):
    case = true_case()
    client.force_login(monitor)
    upload(client, SimpleUploadedFile("sheet.xlsx", make(client, case)))
    result = Upload.objects.get()
    assert result.status == Upload.Status.REJECTED
    assert any(message in error for error in result.errors), result.errors
    assert Case.objects.get(pk=case.pk).state == State.TRUE_TRACKER
    assert message in client.get(result.get_absolute_url()).content.decode()


def test_it_refuses_a_file_over_the_size_limit(client, monitor, true_case, settings):
    case = true_case()
    client.force_login(monitor)
    workbook = fill(download_handoff(client), case, processed="N", reason="Could not")
    settings.UPLOAD_MAX_BYTES = 2000
    upload(client, as_upload(workbook))
    result = Upload.objects.get()
    assert result.status == Upload.Status.REJECTED
    assert "the largest file accepted is 2.0\xa0KB" in result.errors[0]
    assert not result.file  # too big to keep
    assert Case.objects.get(pk=case.pk).state == State.TRUE_TRACKER
