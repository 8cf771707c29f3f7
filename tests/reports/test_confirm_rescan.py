"""Confirming an upload re-reads the app's kept copy under row locks; the sheet guard's verdict
from the upload is trusted for it only when the kept bytes are the ones it checked (issue 12:
scanning a 10,000-row archive again took a tenth of the confirm)."""

import pytest
from django.utils import timezone

from cases.models import Case
from cases.states import State
from reports.handoff_import import confirm_handoff, receive_handoff
from reports.models import Upload
from reports.sheets import reader

from .workbooks import as_upload, download_handoff, fill


@pytest.fixture
def scans(monkeypatch):
    """Counts the archive scans."""
    calls = []
    real = reader.check_archive

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reader, "check_archive", counting)
    return calls


@pytest.fixture
def previewed(client, monitor, true_case, media_root):
    case = true_case()
    client.force_login(monitor)
    workbook = download_handoff(client)
    fill(workbook, case, processed="Y", mmis_date=timezone.localdate(), mmis_reference="R-1")
    upload = receive_handoff(uploaded_file=as_upload(workbook), by=monitor)
    assert upload.can_confirm, upload.errors
    return upload, case


def test_it_records_what_the_guard_found_at_upload(previewed):
    upload, _ = previewed
    assert Upload.objects.get(pk=upload.pk).sheet_plain is True


def test_it_does_not_scan_its_own_verified_copy_again(previewed, monitor, scans):
    upload, case = previewed
    done = confirm_handoff(upload=Upload.objects.get(pk=upload.pk), by=monitor)
    assert done.status == Upload.Status.APPLIED
    assert Case.objects.get(pk=case.pk).state == State.PROCESSED
    assert scans == []


@pytest.mark.parametrize(
    "change",
    [
        {"sha256": "0" * 64},  # not the bytes that were checked
        {"sheet_plain": None},  # never scanned (an upload from before the verdict was kept)
    ],
)
def test_it_scans_again_when_it_cannot_trust_the_verdict(previewed, monitor, scans, change):
    upload, case = previewed
    Upload.objects.filter(pk=upload.pk).update(**change)
    done = confirm_handoff(upload=Upload.objects.get(pk=upload.pk), by=monitor)
    assert done.status == Upload.Status.APPLIED
    assert Case.objects.get(pk=case.pk).state == State.PROCESSED
    assert scans == [1]
