"""`manage.py purge_uploads`: old kept files go, the records and outcomes stay (issue 10)."""

import os
from datetime import timedelta
from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.states import State
from reports.models import Upload

from .workbooks import as_upload, download_handoff, fill, upload


def handoff_upload(client, case, *, days_ago: int, confirm: bool) -> Upload:
    workbook = fill(download_handoff(client), case, processed="N", reason="Not in MMIS")
    upload(client, as_upload(workbook, f"sheet {days_ago}.xlsx"))
    kept = Upload.objects.latest("pk")
    if confirm:
        client.post(reverse("reports:upload_confirm", args=[kept.pk]))
    Upload.objects.filter(pk=kept.pk).update(uploaded_at=timezone.now() - timedelta(days=days_ago))
    return Upload.objects.get(pk=kept.pk)


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_uploads", *args, stdout=out)
    return out.getvalue()


def test_it_deletes_old_files_and_keeps_the_record_and_outcome(
    client, monitor, true_case, media_root
):
    client.force_login(monitor)
    old = handoff_upload(client, true_case(), days_ago=91, confirm=True)
    recent = handoff_upload(client, true_case(), days_ago=89, confirm=True)
    old_path = media_root / old.file.name

    output = purge()

    assert "Deleted 1 kept upload file(s) older than 90 days" in output
    assert not old_path.exists() and (media_root / recent.file.name).exists()
    old.refresh_from_db()
    assert not old.file and old.file_deleted_at is not None
    assert (old.status, old.returned_count, old.decided_by) == (Upload.Status.APPLIED, 1, monitor)
    assert old.file_kept_days == 91
    assert "File deleted after 91 days" in client.get(old.get_absolute_url()).content.decode()
    assert "file deleted after 91 days" in client.get(reverse("reports:uploads")).content.decode()
    assert "kept encrypted until" in client.get(recent.get_absolute_url()).content.decode()
    assert "Deleted 0 kept upload file(s)" in purge()  # safe to run again


def test_it_refuses_an_unconfirmed_upload_whose_file_is_gone(client, monitor, true_case):
    client.force_login(monitor)
    case = true_case()
    waiting = handoff_upload(client, case, days_ago=100, confirm=False)
    assert waiting.status == Upload.Status.PREVIEWED

    purge()
    client.post(reverse("reports:upload_confirm", args=[waiting.pk]))

    waiting.refresh_from_db()
    assert waiting.status == Upload.Status.REJECTED
    assert "Not confirmed within 90 days, so the file was deleted" in waiting.errors[-1]
    assert Case.objects.get(pk=case.pk).state == State.TRUE_TRACKER


def test_it_follows_the_retention_setting_and_option(client, monitor, true_case, settings):
    client.force_login(monitor)
    kept = handoff_upload(client, true_case(), days_ago=10, confirm=True)
    settings.UPLOAD_RETENTION_DAYS = 30
    assert "Deleted 0" in purge()
    assert "Deleted 1 kept upload file(s) older than 7 days" in purge("--days", "7")
    kept.refresh_from_db()
    assert kept.file_kept_days == 10


def test_it_removes_orphaned_files_once_a_day_old(media_root, db):
    stale = default_storage.save("uploads/state-monitor-handoff/stale.xlsx", ContentFile(b"x"))
    fresh = default_storage.save("uploads/state-monitor-handoff/fresh.xlsx", ContentFile(b"y"))
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(media_root / stale, (two_days_ago, two_days_ago))

    assert "and 1 orphaned file(s)" in purge()
    assert not (media_root / stale).exists() and (media_root / fresh).exists()
