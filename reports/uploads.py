"""What every spreadsheet upload goes through, whatever the report: the file is kept as received,
checked into a preview, then confirmed in one transaction — all rows or none (DESIGN.md
"Spreadsheets"). Each report supplies its own checks and what applying a row means."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Upload


class NotApplied(Exception):
    """Confirming found a problem: nothing is applied and the upload is refused with these."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def keep_upload(*, report_id: str, uploaded_file, by, **fields) -> Upload:
    """An unsaved Upload holding the file as received (unless it is over the size limit, which
    the sheet reader then refuses); the file object is rewound for the checks."""
    upload = Upload(
        report_id=report_id,
        original_name=(uploaded_file.name or "upload.xlsx")[:255],
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


def confirm_upload(upload: Upload, *, by, apply: Callable[[Upload], None]) -> Upload:
    """Run `apply(upload)` (which re-checks the kept file under row locks, applies every row and
    updates the upload's summary) in one transaction. If it raises NotApplied, nothing changes
    and the upload is refused with its reasons; a second confirmation changes nothing."""
    try:
        with transaction.atomic():
            upload = Upload.objects.select_for_update().get(pk=upload.pk)
            if not upload.can_confirm:
                raise NotApplied(["This upload was already handled; nothing was changed."])
            apply(upload)
            upload.status = Upload.Status.APPLIED
            upload.decided_by = by
            upload.decided_at = timezone.now()
            upload.save()
            return upload
    except NotApplied as failed:
        if upload.status != Upload.Status.PREVIEWED:
            return upload  # confirmed twice (double click, two tabs): the first one counts
        upload.status = Upload.Status.REJECTED
        upload.errors = [*failed.errors, "Nothing was changed."]
        upload.decided_by = by
        upload.decided_at = timezone.now()
        upload.save(update_fields=["status", "errors", "decided_by", "decided_at"])
        return upload
