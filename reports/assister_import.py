"""Bringing a returned Preferred Assister Report back: check every row against the seed's rules
(referrals/outcomes.py, shared with the assister portal), show what will be recorded, then record
all rows in one transaction or none. Re-uploading replaces earlier answers; each answer that
changes is logged on the referral's timeline with the upload it came from."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from referrals.models import AssisterReport, referral_number
from referrals.outcomes import COLUMNS, outcome_errors
from referrals.services import Outcome, ReferralConflict, referrals_report_outcome
from referrals.states import Resolution
from tracker.workflow import StepFailed

from .assister_report import ABOUT_REPORT, PAR_SPEC, report_leads
from .models import Upload
from .sheets import Problems, SheetError, SheetRejected, open_sheet
from .sheets.guard import Scanned
from .sheets.problems import quote
from .uploads import NotApplied, confirm_upload, keep_upload, reopen, store_problems

REFERRAL_NUMBER = re.compile(r"^PAL-?(\d{1,9})$", re.IGNORECASE)
RECORD, UNCHANGED, BLANK = "record", "unchanged", "blank"
ACTION_LABELS = {
    RECORD: "New or changed outcome — recorded on confirm",
    UNCHANGED: "Same answers as already recorded — left as they are",
    BLANK: "Left empty — nothing reported yet",
}
REFERRAL_COLUMN = PAR_SPEC.column("referral").header
RESOLUTION_BY_LABEL = {label: value for value, label in Resolution.choices}


class Lead:
    """A report's lead as the checks, the preview and the outcome transition read it: its
    values, not a Referral instance (building 10,000 of those was an eighth of a confirm,
    issue 12 part 5)."""

    FIELDS = (
        "pk",
        "state",
        "organization_id",
        "consumer_name",
        "sent_at",
        "accepted_at",
        "contact_made",
        "contact_date",
        "resolution",
        "comments",
    )
    __slots__ = (*FIELDS, "outcome_reported_at", "outcome_reported_by_id", "updated_at")

    def __init__(self, values):
        for name, value in zip(self.FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def number(self) -> str:
        return referral_number(self.pk)


@dataclass
class OutcomeRow:
    row: int
    referral: Lead
    action: str
    contact_made: bool | None = None
    contact_date: date | None = None
    resolution: str = ""
    comments: str = ""

    def as_preview(self) -> dict:
        detail = ""
        if self.action == RECORD:
            made = "Y" if self.contact_made else "N"
            on = f" on {self.contact_date:%m/%d/%Y}" if self.contact_date else ""
            detail = f"Contact Made {made}{on} · {Resolution(self.resolution).label}"
        return {
            "row": self.row,
            "referral": self.referral.number,
            "referral_id": self.referral.pk,
            "consumer": self.referral.consumer_name,
            "action": self.action,
            "label": ACTION_LABELS[self.action],
            "detail": detail,
        }


@dataclass
class ReportPlan:
    rows: list[OutcomeRow] = field(default_factory=list)
    errors: Problems = field(default_factory=Problems)
    # What the sheet guard found in the file (None when the file was refused as a whole).
    scanned: Scanned | None = None

    @property
    def changes(self) -> list[OutcomeRow]:
        return [row for row in self.rows if row.action == RECORD]

    @property
    def answered(self) -> bool:
        return any(row.action != BLANK for row in self.rows)


def check_report(
    fileobj, *, report: AssisterReport, lock: bool = False, checked: Scanned | None = None
) -> ReportPlan:
    """Read the sheet and decide, row by row, what would be recorded. Changes nothing.

    The report's leads are loaded once; rows are streamed and checked against them, so no row
    costs a query (issue 11: one query per unknown Referral ID). `checked`: open_sheet's."""
    plan = ReportPlan()
    try:
        with open_sheet(PAR_SPEC, fileobj, checked=checked) as sheet:
            plan.scanned = sheet.scanned
            if str(sheet.about.get(ABOUT_REPORT)) != str(report.pk):
                return ReportPlan(errors=Problems([SheetError(_other_report(report))]))
            leads = report_leads(report)
            if lock:
                leads = leads.select_for_update(of=("self",))
            by_pk = {values[0]: Lead(values) for values in leads.values_list(*Lead.FIELDS)}
            today = timezone.localdate()
            for row in sheet.rows():
                _check_row(row, by_pk, plan, today)
    except SheetRejected as rejected:
        return ReportPlan(errors=Problems([SheetError(str(rejected))]))
    return plan


def _other_report(report: AssisterReport) -> str:
    return (
        f"This sheet was downloaded for another Preferred Assister Report (another "
        f"organization or period), not for {report.organization} {report.period}. "
        "Download this report's sheet and upload that. Nothing was changed."
    )


def _check_row(row, by_pk: dict, plan: ReportPlan, today: date) -> None:
    plan.errors.extend(row.errors)
    number = (row.values.get("referral") or "").strip()
    if REFERRAL_COLUMN in row.problem_columns:
        return
    referral = _find(number, by_pk, plan, row.number)
    if referral is None or not row.answered:
        if referral is not None:
            plan.rows.append(OutcomeRow(row.number, referral, BLANK))
        return
    answers = {
        "contact_made": row.values.get("contact_made"),
        "contact_date": row.values.get("contact_date"),
        "resolution": RESOLUTION_BY_LABEL.get(row.values.get("resolution") or "", ""),
        "comments": row.values.get("comments") or "",
    }
    problems = [
        SheetError(message, row.number, COLUMNS[key])
        for key, message in outcome_errors(referral, **answers, today=today).items()
        if COLUMNS[key] not in row.problem_columns
    ]
    if problems or row.errors:
        plan.errors.extend(problems)
        return
    same = all(getattr(referral, key) == value for key, value in answers.items())
    plan.rows.append(OutcomeRow(row.number, referral, UNCHANGED if same else RECORD, **answers))


def _find(number: str, by_pk: dict, plan: ReportPlan, row: int) -> Lead | None:
    match = REFERRAL_NUMBER.match(number)
    if not number:
        message = "the Referral ID is missing."
    elif match is None:
        message = f"{quote(number)} is not a Referral ID (they look like PAL-000123)."
    elif int(match.group(1)) in by_pk:
        return by_pk[int(match.group(1))]
    else:
        # The same words whether the referral exists (another organization's, another
        # period's) or not: an assister must not learn which numbers exist.
        message = (
            f"{quote(number)} is not one of this report's leads. Check the ID, or remove the row."
        )
    plan.errors.append(SheetError(message, row, REFERRAL_COLUMN))
    return None


def _summarise(upload: Upload, plan: ReportPlan) -> None:
    upload.rows_total = len(plan.rows) + len(plan.errors.rows)
    upload.unchanged_count = sum(1 for row in plan.rows if row.action != RECORD)
    store_problems(upload, plan.errors)
    upload.preview = [row.as_preview() for row in plan.rows]


def receive_report(*, report: AssisterReport, uploaded_file, by) -> Upload:
    """Keep the uploaded file and check it; the Upload says what confirming would record."""
    upload = keep_upload(
        report_id=PAR_SPEC.report_id,
        uploaded_file=uploaded_file,
        by=by,
        assister_report=report,
    )
    plan = check_report(uploaded_file, report=report)
    upload.sheet_plain = plan.scanned.plain if plan.scanned else None
    _summarise(upload, plan)
    if not plan.errors and not plan.answered:
        upload.errors = [
            "Every row is empty: fill in Contact Made and Resolution for at least one lead."
        ]
        upload.error_count = 1
    if upload.errors:
        upload.status = Upload.Status.REJECTED
    upload.save()
    return upload


def confirm_report(*, upload: Upload, by) -> Upload:
    """Record every answered row in one transaction, or none; the report counts as returned."""

    def apply(upload: Upload) -> None:
        report = (
            AssisterReport.objects.select_for_update(of=("self",))
            .select_related("organization", "period")
            .get(pk=upload.assister_report_id)
        )
        # Checked again under row locks: answers may have changed since the preview.
        stored, checked = reopen(upload)
        plan = check_report(stored, report=report, lock=True, checked=checked)
        if plan.errors:
            raise NotApplied.of(plan.errors)
        source = f"From the Preferred Assister Report “{upload.original_name}” (upload {upload.pk})"
        _record(plan.changes, by=by, source=source)
        _return(report, upload)
        _summarise(upload, plan)

    return confirm_upload(upload, by=by, apply=apply)


def _record(rows: list[OutcomeRow], *, by, source: str) -> None:
    """Every answer through referrals_report_outcome (referral_report_outcome's rules, a few
    queries per 500 rows instead of five per row)."""
    if not rows:
        return
    try:
        referrals_report_outcome(
            outcomes=[
                Outcome(
                    referral=row.referral,
                    contact_made=row.contact_made,
                    contact_date=row.contact_date,
                    resolution=row.resolution,
                    comments=row.comments,
                )
                for row in rows
            ],
            by=by,
            source=source,
        )
    except StepFailed as failed:
        row, error = rows[failed.index], failed.error
        words = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        raise NotApplied([f"Row {row.row}, {row.referral.number}: {words}"]) from None
    except ReferralConflict as error:
        raise NotApplied([str(error)]) from None


def _return(report: AssisterReport, upload: Upload) -> None:
    """The first accepted upload returns the report (on time or late); later ones replace it."""
    if report.returned_at is None:
        report.returned_at = timezone.now()
    report.status = AssisterReport.Status.RETURNED
    report.last_upload = upload
    report.save(update_fields=["status", "returned_at", "last_upload"])
