import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse

from tracker import limits
from tracker.fields import RedactedJSONField
from tracker.limits import bounded_text


def upload_path(instance, filename):
    # Users' file names may hold personal data: store under a random name, keep the original
    # name in `original_name`.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"uploads/{instance.report_id}/{uuid.uuid4().hex}{suffix}"


class Upload(models.Model):
    """A spreadsheet sent back into the app: the file as received, who sent it, and what came
    of it (DESIGN.md "Spreadsheets": keeps the uploaded file and who uploaded it)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Checked — waiting for confirmation"
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Refused — nothing changed"

    report_id = models.CharField(max_length=50, db_index=True)
    # Encrypted at rest by the default storage (tracker/storage.py); deleted after
    # UPLOAD_RETENTION_DAYS by `manage.py purge_uploads`, which keeps this record.
    file = models.FileField(upload_to=upload_path, blank=True)
    file_deleted_at = models.DateTimeField(null=True, blank=True)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploads"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who confirmed (or whose confirmation was refused)",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    processed_count = models.PositiveIntegerField("processed", default=0)
    returned_count = models.PositiveIntegerField("returned to QC", default=0)
    unchanged_count = models.PositiveIntegerField("left as they are", default=0)
    # Problems quote what users typed: anything SSN-shaped is stored masked. At most
    # SHEET_MAX_ERRORS problems and one "…and N more" line (reports/sheets/problems.py);
    # lists show `error_count` and never load this column (issue 11).
    errors = RedactedJSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField("problems", default=0)
    # What the sheet guard found in the file when it was uploaded: only values (True), or
    # formulas, error cells or damage (False); None if it was never scanned. Confirming
    # re-reads the kept copy and trusts this instead of scanning it again (reports.uploads).
    sheet_plain = models.BooleanField(null=True, editable=False)
    # What each row will do, for the preview page: [{row, case, action, detail}].
    preview = RedactedJSONField(default=list, blank=True)
    # A Preferred Assister Report upload: the organization's report it returns.
    assister_report = models.ForeignKey(
        "referrals.AssisterReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uploads",
    )

    # Deleting keeps the record of who sent what and who removed it; the file, the problems
    # and the preview (which name consumers) are dropped.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Heavy JSON columns that list pages must not load.
    HEAVY_FIELDS = ("errors", "preview")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} by {self.uploaded_by} at {self.uploaded_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        if self.assister_report_id:
            return reverse("reports:assister_upload", args=[self.pk])
        return reverse("reports:upload", args=[self.pk])

    @property
    def action_counts(self) -> dict[str, int]:
        """How many previewed rows do each action, e.g. {"record": 3, "blank": 1}."""
        counts: dict[str, int] = {}
        for row in self.preview:
            counts[row["action"]] = counts.get(row["action"], 0) + 1
        return counts

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == self.Status.PREVIEWED
            and not self.error_count
            and not self.deleted
            and bool(self.file)
        )

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def file_kept_until(self):
        return self.uploaded_at + timedelta(days=settings.UPLOAD_RETENTION_DAYS)

    @property
    def file_kept_days(self) -> int | None:
        """How many days the file was kept before it was deleted (None while it is kept)."""
        if self.file_deleted_at is None:
            return None
        return (self.file_deleted_at - self.uploaded_at).days


class AppliedRow(models.Model):
    """One row of an applied hand-off: lets a second upload of the same answers be recognised
    as already done instead of failing or being applied twice."""

    class Action(models.TextChoices):
        PROCESSED = "processed", "Processed in MMIS"
        RETURNED = "returned", "Returned to QC"

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="applied_rows")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    row = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    mmis_date = models.DateField(null=True, blank=True)
    mmis_reference = models.CharField(max_length=limits.MMIS_REFERENCE, blank=True)
    reason = bounded_text(blank=True, limit=limits.REASON)

    class Meta:
        ordering = ["upload", "row"]
        indexes = [models.Index(fields=["case", "action"])]

    def __str__(self):
        return f"{self.upload_id}:{self.row} {self.action}"


def export_path(instance, filename):
    # A random name: the file holds SSNs, and its name must not say whose.
    return f"exports/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """A large export written in the background (reports/export_jobs.py): who asked, for what,
    how far it got, and the file — encrypted at rest by the default storage, downloadable only
    by the person who asked, deleted EXPORT_KEEP after it was asked for."""

    class Kind(models.TextChoices):
        QC_REPORT = "qc_report", "QC report"
        HANDOFF = "handoff", "State Monitor hand-off"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being written"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted (older than 24 hours)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The list filters as the query string the user had (the QC report's), to rebuild the rows.
    filters = models.CharField(max_length=2000, blank=True)
    # Decided in the request, where the session's second factor is known; the worker has none.
    full_identifiers = models.BooleanField(default=False)
    row_count = models.PositiveIntegerField(default=0, help_text="Rows expected when asked")
    progress = models.PositiveIntegerField(default=0, help_text="Rows written so far")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=export_path, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("reports:export_job", args=[self.pk])

    @property
    def done(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED, self.Status.EXPIRED}


# ---- the MCO dashboard's closed days, rolled up (reports/mco_dashboard/rollup.py) ---------------
# Facts of days that are over, so they never change: the dashboard reads a long period from
# these rows and only the days after `DashboardRollup.through` from the cases and their
# transition logs. A cache: every row can be rebuilt from the logs (`rollup_mco_dashboard
# --rebuild`), so the rows step aside (CASCADE) for whatever protects the cases themselves.
class DashboardRollup(models.Model):
    """How far the rollup has got: every local day up to `through` is in the rows below. One
    row. The days are the site's time zone's: a rollup made in another zone is not read."""

    through = models.DateField()
    time_zone = models.CharField(max_length=64)
    rolled_at = models.DateTimeField()

    def __str__(self):
        return f"MCO dashboard rolled up through {self.through} ({self.time_zone})"


class DayStay(models.Model):
    """One stay in a state that ended on `day` (the case left the state then): how long it
    lasted. Percentiles need the stays themselves, not a count."""

    day = models.DateField()
    team = models.ForeignKey("tracker.Team", on_delete=models.CASCADE, null=True, related_name="+")
    state = models.CharField(max_length=30)
    seconds = models.FloatField()

    class Meta:
        # The dashboard reads a period's stays of each state from this index alone.
        indexes = [
            models.Index(fields=["state", "day", "team", "seconds"], name="daystay_state_day_idx")
        ]

    def __str__(self):
        return f"{self.day}: {self.state} for {self.seconds:.0f} s"


class DayDecisions(models.Model):
    """Cases given a QC verdict or a State Monitor decision (`transition`) on `day`, per the CSR
    who logged them and the team they were logged under."""

    day = models.DateField()
    csr = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("tracker.Team", on_delete=models.CASCADE, null=True, related_name="+")
    transition = models.CharField(max_length=30)
    cases = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "team"], name="daydecisions_day_idx")]

    def __str__(self):
        return f"{self.day}: {self.transition} × {self.cases}"


class DayFlow(models.Model):
    """Cases logged on `day`, and cases that reached a closed state on it, per team."""

    day = models.DateField()
    team = models.ForeignKey("tracker.Team", on_delete=models.CASCADE, null=True, related_name="+")
    logged = models.PositiveIntegerField()
    closed = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "team"], name="dayflow_day_idx")]

    def __str__(self):
        return f"{self.day}: {self.logged} logged, {self.closed} closed"
