"""Kept hand-off files and what is stored about them hold no SSN in clear (issue 10)."""

import io
import stat
import zipfile

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.states import State
from reports.models import Upload

from .workbooks import as_upload, download_handoff, fill, upload

SSN = "123456789"  # the participant log_case creates
SSN_FORMS = [SSN.encode(), b"123-45-6789"]


def ssn_found_in(data: bytes) -> bool:
    """Whether the SSN is in `data`, looking inside a zip (an XLSX deflates its cells)."""
    if any(form in data for form in SSN_FORMS):
        return True
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(ssn_found_in(archive.read(member)) for member in archive.namelist())
    return False


def kept_files(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()]


def confirm(client, kept):
    return client.post(reverse("reports:upload_confirm", args=[kept.pk]))


def test_it_keeps_uploaded_files_encrypted_and_owner_only(client, monitor, true_case, media_root):
    case, other = true_case(), true_case()
    client.force_login(monitor)
    workbook = download_handoff(client)
    fill(workbook, case, processed="Y", mmis_date=timezone.localdate(), mmis_reference="R-1")
    sent = as_upload(workbook)
    assert ssn_found_in(sent.read())  # the sheet the State Monitor sends is full of SSNs
    sent.seek(0)
    upload(client, sent)
    refused = fill(download_handoff(client), other, processed="maybe")
    upload(client, as_upload(refused))

    files = kept_files(media_root)

    assert len(files) == 2
    for path in files:
        assert not ssn_found_in(path.read_bytes()), path
        assert not zipfile.is_zipfile(path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    # Read back through the storage, the kept file is the sheet as sent: confirming applies it.
    kept = Upload.objects.get(status=Upload.Status.PREVIEWED)
    with kept.file.open("rb") as stored:
        assert ssn_found_in(stored.read())
    confirm(client, kept)
    assert Case.objects.get(pk=case.pk).state == State.PROCESSED


def test_it_reads_a_kept_file_at_its_clear_size(client, monitor, true_case, settings):
    """The encrypted file is larger than the sheet: a sheet just under the limit still applies."""
    case = true_case()
    client.force_login(monitor)
    workbook = fill(download_handoff(client), case, processed="N", reason="Not in MMIS")
    sent = as_upload(workbook)
    settings.UPLOAD_MAX_BYTES = sent.size
    upload(client, sent)
    kept = Upload.objects.get()
    assert kept.file.size == sent.size

    confirm(client, kept)

    kept.refresh_from_db()
    assert kept.status == Upload.Status.APPLIED, kept.errors
    assert Case.objects.get(pk=case.pk).state == State.RETURNED_BY_MONITOR


def test_it_stores_problems_and_file_names_with_ssns_masked(client, monitor, true_case):
    case = true_case()
    client.force_login(monitor)
    workbook = fill(download_handoff(client), case, processed="123-45-6789")
    upload(client, as_upload(workbook, "hand-off for 123-45-6789.xlsx"))
    kept = Upload.objects.get()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT original_name, errors, preview FROM reports_upload WHERE id = %s", [kept.pk]
        )
        stored = " ".join(str(value) for value in cursor.fetchone())
    page = client.get(kept.get_absolute_url()).content.decode()

    assert "6789" in stored and "123-45-6789" not in stored and SSN not in stored
    assert "must be Y or N, not “***-**-6789”" in page
    assert "hand-off for ***-**-6789.xlsx" in page
    assert "123-45-6789" not in page
