"""What every spreadsheet upload goes through, whatever the report: the file is kept as received,
checked into a preview, then confirmed in one transaction — all rows or none (DESIGN.md
"Spreadsheets"). Each report supplies its own checks and what applying a row means."""

import hashlib
import io
import logging
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Page, Paginator
from django.db import DataError, IntegrityError, OperationalError, transaction
from django.utils import timezone

from tracker.redact import redact_ssns

from .models import Upload
from .sheets import Problems
from .sheets.guard import Scanned

logger = logging.getLogger(__name__)

# A file under uploads/ that no Upload names (the request died between keeping the file and
# saving its record) is removed once it is this old; younger ones may belong to a request
# still running.
ORPHAN_AGE = timedelta(days=1)
UPLOADS_DIR = "uploads"
# Rows of a preview shown per page: a 10,000-row sheet is read in full, but the page shows a
# hundred at a time (issue 12, part 5); the summary above the rows counts them all.
PREVIEW_PER_PAGE = 100


class NotApplied(Exception):
    """Confirming found a problem: nothing is applied and the upload is refused with these."""

    def __init__(self, errors: list[str], *, count: int | None = None):
        super().__init__("; ".join(errors))
        self.errors = errors
        # How many problems there were (`errors` may end with an "…and N more" line).
        self.count = len(errors) if count is None else count

    @classmethod
    def of(cls, problems: Problems) -> "NotApplied":
        return cls(problems.messages(), count=len(problems))


def keep_upload(*, report_id: str, uploaded_file, by, **fields) -> Upload:
    """An unsaved Upload holding the file as received (unless it is over the size limit, which
    the sheet reader then refuses); the file object is rewound for the checks. The default
    storage encrypts the kept file (tracker/storage.py)."""
    upload = Upload(
        report_id=report_id,
        # Users name files after people too: no SSN in the stored name.
        original_name=redact_ssns(uploaded_file.name or "upload.xlsx")[:255],
        size=uploaded_file.size or 0,
        uploaded_by=by,
        **fields,
    )
    if upload.size <= settings.UPLOAD_MAX_BYTES:
        data = uploaded_file.read()
        upload.sha256 = hashlib.sha256(data).hexdigest()
        upload.file.save(upload.original_name, ContentFile(data), save=False)
        uploaded_file.seek(0)
    return upload


def reopen(upload: Upload) -> tuple[io.BytesIO, Scanned | None]:
    """The kept copy of an upload, to check again when confirming, and what the sheet guard
    found in it at upload — trusted only when these are the very bytes it checked (their
    SHA-256 is the one recorded then; the storage's encryption is authenticated as well).
    Scanning a 10,000-row sheet's archive again took a tenth of a confirm (issue 12)."""
    with upload.file.open("rb") as stored:
        data = stored.read()
    checked = None
    if upload.sheet_plain is not None and hashlib.sha256(data).hexdigest() == upload.sha256:
        checked = Scanned.of(upload.sheet_plain)
    return io.BytesIO(data), checked


class AlreadyHandled(Exception):
    """A second confirmation (double click, two tabs, two people at once): the first counts."""

    def __init__(self, upload: Upload):
        super().__init__(f"Upload {upload.pk} was already handled")
        self.upload = upload

    def __str__(self):
        upload = self.upload
        if upload.deleted:
            return "This upload was deleted; nothing was changed."
        when = timezone.localtime(upload.decided_at) if upload.decided_at else None
        by = f" by {upload.decided_by}" if upload.decided_by_id else ""
        on = f" on {when:%m/%d/%Y %H:%M}" if when else ""
        verb = "applied" if upload.status == Upload.Status.APPLIED else "refused"
        return f"This upload was already {verb}{by}{on}; nothing more was changed."


class ConfirmBusy(AlreadyHandled):
    """The database could not take the confirmation now (SQLite: "database is locked" when
    someone else is writing): nothing was changed, and the person is told so, not shown a 500."""

    def __str__(self):
        return (
            "Someone else was saving at the same moment, so nothing was changed. Look at the "
            "upload below: if it is still waiting, confirm it again."
        )


def preview_page(upload: Upload, number) -> Page:
    """One page of the upload's previewed rows (`number` from the query string; a bad or
    too-large number gives the first or last page, never an error)."""
    return Paginator(upload.preview, PREVIEW_PER_PAGE).get_page(number)


def store_problems(upload: Upload, problems: Problems) -> None:
    """Put a bounded list of problems on the upload (the rest are counted per column)."""
    upload.errors = problems.messages()
    upload.error_count = len(problems)


def confirm_upload(upload: Upload, *, by, apply: Callable[[Upload], None]) -> Upload:
    """Run `apply(upload)` (which re-checks the kept file under row locks, applies every row and
    updates the upload's summary) in one transaction. If it raises NotApplied, nothing changes
    and the upload is refused with its reasons.

    Two confirmations at once must neither apply twice nor fail: the first statement claims the
    upload with a conditional UPDATE, which waits for (PostgreSQL: row lock; SQLite: the write
    lock) and then sees any other claim. The loser gets AlreadyHandled."""
    try:
        with transaction.atomic():
            claimed = Upload.objects.filter(
                pk=upload.pk,
                status=Upload.Status.PREVIEWED,
                error_count=0,
                deleted_at__isnull=True,
            ).update(status=Upload.Status.APPLIED, decided_by=by, decided_at=timezone.now())
            upload = Upload.objects.get(pk=upload.pk)
            if not claimed:
                raise AlreadyHandled(upload)
            apply(upload)
            upload.save()
            return upload
    except NotApplied as failed:
        refused = Upload.objects.filter(pk=upload.pk, status=Upload.Status.PREVIEWED).update(
            status=Upload.Status.REJECTED,
            errors=[*failed.errors, "Nothing was changed."],
            error_count=failed.count,
            decided_by=by,
            decided_at=timezone.now(),
        )
        upload = Upload.objects.get(pk=upload.pk)
        if not refused:
            raise AlreadyHandled(upload) from None
        return upload
    except OperationalError:
        logger.warning("Upload %s: confirmation could not take the lock", upload.pk, exc_info=True)
        raise ConfirmBusy(Upload.objects.get(pk=upload.pk)) from None
    except (DataError, IntegrityError):
        # A value the database will not take (it should have been caught at preview): refuse
        # the upload rather than leave it "previewed" for good behind a server error.
        logger.exception("Upload %s could not be applied", upload.pk)
        Upload.objects.filter(pk=upload.pk, status=Upload.Status.PREVIEWED).update(
            status=Upload.Status.REJECTED,
            errors=["The database refused a value in this sheet. Nothing was changed."],
            error_count=1,
            decided_by=by,
            decided_at=timezone.now(),
        )
        return Upload.objects.get(pk=upload.pk)


@transaction.atomic
def upload_delete(*, upload: Upload, by) -> Upload:
    """Delete an upload's file and what was read from it; who deleted it and when stay on
    record, and so do the rows it applied (issue 11)."""
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.deleted:
        return upload
    if upload.file:
        upload.file.delete(save=False)
    upload.file = ""
    upload.errors = []
    upload.preview = []
    upload.deleted_at = timezone.now()
    upload.deleted_by = by
    upload.save(update_fields=["file", "errors", "preview", "deleted_at", "deleted_by"])
    return upload


@dataclass
class Purged:
    files: int = 0
    orphans: int = 0


def purge_upload_files(*, days: int | None = None, now=None, batch: int = 500) -> Purged:
    """Delete kept files older than `days` (UPLOAD_RETENTION_DAYS) and orphaned files; every
    Upload keeps its record and outcome and says when its file was deleted (DESIGN.md "Security
    design": kept upload files purged after UPLOAD_RETENTION_DAYS). An upload still waiting for
    confirmation can no longer be confirmed without its file, so it is refused. Safe to re-run."""
    days = settings.UPLOAD_RETENTION_DAYS if days is None else days
    now = now or timezone.now()
    due = Upload.objects.filter(uploaded_at__lt=now - timedelta(days=days)).exclude(file="")
    result = Purged()
    while True:
        with transaction.atomic():
            uploads = list(due.select_for_update().order_by("pk")[:batch])
            names = [upload.file.name for upload in uploads]
            for upload in uploads:
                _mark_purged(upload, days=days, now=now)
        # Deleted once the records say so: a crash in between leaves an (encrypted) orphan
        # that the sweep below removes, never a record pointing at nothing.
        for name in names:
            default_storage.delete(name)
        result.files += len(names)
        if len(uploads) < batch:
            break
    result.orphans = _delete_orphans(now=now)
    return result


def _mark_purged(upload: Upload, *, days: int, now) -> None:
    upload.file = ""
    upload.file_deleted_at = now
    fields = ["file", "file_deleted_at"]
    if upload.status == Upload.Status.PREVIEWED:
        upload.status = Upload.Status.REJECTED
        upload.errors = [
            *upload.errors,
            f"Not confirmed within {days} days, so the file was deleted. Nothing was changed; "
            "upload the sheet again.",
        ]
        fields += ["status", "errors"]
    upload.save(update_fields=fields)


def _delete_orphans(*, now) -> int:
    if not default_storage.exists(UPLOADS_DIR):
        return 0
    kept = set(Upload.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for name in _walk(UPLOADS_DIR):
        if name in kept or default_storage.get_modified_time(name) > now - ORPHAN_AGE:
            continue
        default_storage.delete(name)
        deleted += 1
    return deleted


def _walk(directory: str):
    folders, files = default_storage.listdir(directory)
    for name in files:
        yield posixpath.join(directory, name)
    for folder in folders:
        yield from _walk(posixpath.join(directory, folder))
