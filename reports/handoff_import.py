"""Bringing the filled hand-off back: check every row, show what will happen, then apply all
rows in one transaction or none (DESIGN.md "Spreadsheets"; issue: hand-off import).

Each answered row becomes `case_mark_processed` (Y) or `case_return_unprocessed` (N). A case that
was changed in the app after the sheet was downloaded is reported, never overwritten; a row that
an earlier upload already applied is recognised and left alone.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases.models import Case, case_number
from cases.permissions import cases_visible_to
from cases.services import (
    CaseConflict,
    Processed,
    Returned,
    cases_mark_processed,
    cases_return_unprocessed,
)
from cases.states import State
from tracker.insert_values import insert_values
from tracker.workflow import StepFailed

from .handoff import HANDOFF_SPEC, token_of
from .models import AppliedRow, Upload
from .sheets import Problems, SheetError, SheetRejected, chunked, open_sheet
from .sheets.guard import Scanned
from .sheets.problems import quote
from .uploads import NotApplied, confirm_upload, keep_upload, reopen, store_problems

CASE_NUMBER = re.compile(r"^MCO-?(\d{1,9})$", re.IGNORECASE)
PROCESSED, RETURNED, ALREADY, BLANK = "processed", "returned", "already", "blank"
ACTION_LABELS = {
    PROCESSED: "Processed in MMIS",
    RETURNED: "Returned to QC",
    ALREADY: "Already applied by an earlier upload — left as it is",
    BLANK: "Left empty — stays in the hand-off",
}
CASE_COLUMN = HANDOFF_SPEC.column("case").header
PROCESSED_COLUMN = HANDOFF_SPEC.column("processed").header
DATE_COLUMN = HANDOFF_SPEC.column("mmis_date").header
REFERENCE_COLUMN = HANDOFF_SPEC.column("mmis_reference").header
REASON_COLUMN = HANDOFF_SPEC.column("reason").header
TOKEN_COLUMN = HANDOFF_SPEC.column("token").header
# Rows looked up in the database at once (one query per chunk, whatever the sheet holds).
CHUNK_ROWS = 500
STATE_LABELS = dict(State.choices)


class CaseRow:
    """A sheet's case as the checks, the preview and the bulk services read it: its values, not
    a Case instance (building 10,000 of those was a third of a preview, issue 12 part 5).
    Holds what `mark_processed` and `return_unprocessed` read and set."""

    FIELDS = (
        "pk",
        "state",
        "created_at",
        "updated_at",
        "returned_count",
        "mmis_date",
        "mmis_reference",
    )
    __slots__ = FIELDS

    def __init__(self, values):
        for name, value in zip(self.FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def number(self) -> str:
        return case_number(self.pk)

    def get_state_display(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


@dataclass
class RowPlan:
    row: int
    case: CaseRow
    action: str
    mmis_date: date | None = None
    mmis_reference: str = ""
    reason: str = ""

    def as_preview(self) -> dict:
        if self.action == PROCESSED:
            detail = f"MMIS {self.mmis_date:%m/%d/%Y}, reference {self.mmis_reference}"
        elif self.action == RETURNED:
            detail = self.reason
        else:
            detail = ""
        return {
            "row": self.row,
            "case": self.case.number,
            "case_id": self.case.pk,
            "action": self.action,
            "label": ACTION_LABELS[self.action],
            "detail": detail,
        }


@dataclass
class HandoffPlan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: Problems = field(default_factory=Problems)
    # What the sheet guard found in the file (None when the file was refused as a whole).
    scanned: Scanned | None = None

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def changes(self) -> list[RowPlan]:
        return [row for row in self.rows if row.action in (PROCESSED, RETURNED)]


def check_handoff(
    fileobj, *, by, lock: bool = False, checked: Scanned | None = None
) -> HandoffPlan:
    """Read the sheet and decide, row by row, what would happen. Changes nothing.

    Rows are streamed and looked up CHUNK_ROWS at a time; a file refused as a whole (too many
    rows, not ours, damaged) leaves only that one problem. `checked`: open_sheet's."""
    plan = HandoffPlan()
    try:
        with open_sheet(HANDOFF_SPEC, fileobj, checked=checked) as sheet:
            plan.scanned = sheet.scanned
            for chunk in chunked(sheet.rows(), CHUNK_ROWS):
                _check_chunk(chunk, plan, by=by, lock=lock)
    except SheetRejected as rejected:
        return HandoffPlan(errors=Problems([SheetError(str(rejected))]))
    return plan


def _check_chunk(chunk, plan: HandoffPlan, *, by, lock: bool) -> None:
    cases = _cases_by_number(chunk, by=by, lock=lock)
    history = _History([case for case in cases.values() if case.state != State.TRUE_TRACKER])
    for row in chunk:
        plan.errors.extend(row.errors)
        values = row.values
        number = values.get("case") or ""
        case = cases.get(number.upper())
        if not number:
            if CASE_COLUMN not in row.problem_columns:
                plan.errors.append(
                    SheetError("the case number is missing.", row.number, CASE_COLUMN)
                )
            continue
        if case is None:
            # The same words whether the number exists elsewhere or not: no existence oracle.
            plan.errors.append(
                SheetError(
                    f"there is no case {quote(number)} among the cases waiting for or handled by "
                    "the State Monitors. Check the number, or remove the row.",
                    row.number,
                    CASE_COLUMN,
                )
            )
            continue
        if not row.answered:
            plan.rows.append(RowPlan(row.number, case, BLANK))
            continue
        # A cell the reader already refused is not refused twice.
        row_errors = [
            error
            for error in _check_answers(row.number, values, case)
            if error.column not in row.problem_columns
        ]
        if row_errors or row.errors:
            plan.errors.extend(row_errors)
            continue
        token = values.get("token") or ""
        if not token:
            # The Row check is what tells a stale sheet from a fresh one: it may not be cleared.
            plan.errors.append(
                SheetError(
                    "is empty. This hidden cell tells whether the case changed since the sheet "
                    "was downloaded; download a fresh sheet and fill this case in again.",
                    row.number,
                    TOKEN_COLUMN,
                )
            )
            continue
        wanted = RowPlan(
            row.number,
            case,
            PROCESSED if values["processed"] else RETURNED,
            mmis_date=values["mmis_date"],
            mmis_reference=values["mmis_reference"],
            reason=values["reason"],
        )
        state_error = _check_state(wanted, token, history)
        if state_error == ALREADY:
            wanted.action = ALREADY
        elif state_error:
            plan.errors.append(SheetError(state_error, row.number, CASE_COLUMN))
            continue
        plan.rows.append(wanted)


def _cases_by_number(rows, *, by, lock: bool) -> dict[str, CaseRow]:
    pks = {}
    for row in rows:
        match = CASE_NUMBER.match((row.values.get("case") or "").strip())
        if match:
            pks[int(match.group(1))] = row.values["case"].upper()
    if not pks:
        return {}
    queryset = cases_visible_to(by).filter(pk__in=sorted(pks))
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return {pks[values[0]]: CaseRow(values) for values in queryset.values_list(*CaseRow.FIELDS)}


class _History:
    """The earlier applied rows and the last state change of a chunk's cases that are no
    longer true tracker cases: two queries per chunk instead of two per row."""

    def __init__(self, cases: list[CaseRow]):
        self.applied: dict[tuple[int, str], AppliedRow] = {}
        self.last_change: dict[int, StateLog] = {}
        if not cases:
            return
        ids = [case.pk for case in cases]
        applied = AppliedRow.objects.filter(
            case__in=ids, upload__status=Upload.Status.APPLIED
        ).order_by("case", "action", "-pk")
        for row in applied:
            self.applied.setdefault((row.case_id, row.action), row)
        logs = (
            StateLog.objects.filter(
                content_type=ContentType.objects.get_for_model(Case), object_id__in=ids
            )
            .select_related("by")
            .order_by("object_id", "-timestamp", "-pk")
        )
        for log in logs:
            self.last_change.setdefault(log.object_id, log)


def _check_answers(number: int, values: dict, case: CaseRow) -> list[SheetError]:
    errors = []
    processed = values.get("processed")
    if processed is None:
        return []  # the reader already said Y/N is required or invalid
    if processed:
        if not values.get("mmis_date"):
            errors.append(
                SheetError("is required when the case was processed (Y).", number, DATE_COLUMN)
            )
        elif values["mmis_date"] < timezone.localdate(case.created_at):
            errors.append(
                SheetError(
                    f"{values['mmis_date']:%m/%d/%Y} is before the case was logged "
                    f"({timezone.localdate(case.created_at):%m/%d/%Y}).",
                    number,
                    DATE_COLUMN,
                )
            )
        if not values.get("mmis_reference"):
            errors.append(
                SheetError("is required when the case was processed (Y).", number, REFERENCE_COLUMN)
            )
        if values.get("reason"):
            errors.append(
                SheetError(
                    "should be empty when the case was processed (Y). Remove it, or change Y to N.",
                    number,
                    REASON_COLUMN,
                )
            )
    else:
        if not values.get("reason"):
            errors.append(
                SheetError(
                    "is required when the case was not processed (N): say why.",
                    number,
                    REASON_COLUMN,
                )
            )
        for key, header in (("mmis_date", DATE_COLUMN), ("mmis_reference", REFERENCE_COLUMN)):
            if values.get(key):
                errors.append(
                    SheetError(
                        "should be empty when the case was not processed (N).", number, header
                    )
                )
    return errors


def _check_state(wanted: RowPlan, token: str, history: _History) -> str:
    """Empty if the row may be applied, ALREADY if an earlier upload did just this, else why not."""
    case = wanted.case
    if case.state == State.TRUE_TRACKER:
        if token != token_of(case.pk, case.updated_at):
            return (
                f"{case.number} was changed in the app after this sheet was downloaded, so this "
                "row was not applied. Download a fresh sheet and fill this case in again."
            )
        return ""
    earlier = history.applied.get((case.pk, wanted.action))
    if earlier is not None and _same_answer(earlier, wanted):
        return ALREADY
    last = history.last_change.get(case.pk)
    changed = (
        f" (changed {timezone.localtime(last.timestamp):%m/%d/%Y %H:%M} by {last.by})"
        if last and last.by
        else ""
    )
    return (
        f"{case.number} is no longer a true tracker case: it is now “{case.get_state_display()}”"
        f"{changed}. This row was not applied; remove it or download a fresh sheet."
    )


def _same_answer(earlier: AppliedRow, wanted: RowPlan) -> bool:
    if wanted.action == PROCESSED:
        return (
            earlier.mmis_date == wanted.mmis_date
            and earlier.mmis_reference == wanted.mmis_reference
            and wanted.case.state == State.PROCESSED
        )
    return wanted.case.state != State.TRUE_TRACKER and earlier.reason == wanted.reason


def _summarise(upload: Upload, plan: HandoffPlan) -> None:
    upload.rows_total = len(plan.rows) + len(plan.errors.rows)
    upload.processed_count = plan.count(PROCESSED)
    upload.returned_count = plan.count(RETURNED)
    upload.unchanged_count = plan.count(ALREADY) + plan.count(BLANK)
    store_problems(upload, plan.errors)
    upload.preview = [row.as_preview() for row in plan.rows]


def receive_handoff(*, uploaded_file, by) -> Upload:
    """Keep the uploaded file and check it; the Upload says what confirming would do."""
    upload = keep_upload(report_id=HANDOFF_SPEC.report_id, uploaded_file=uploaded_file, by=by)
    earlier = (
        Upload.objects.filter(
            report_id=upload.report_id, sha256=upload.sha256, status=Upload.Status.APPLIED
        )
        .exclude(sha256="")
        .select_related("decided_by")
        .first()
    )
    if earlier is not None:
        upload.status = Upload.Status.REJECTED
        upload.errors = [
            f"This exact file was already applied on "
            f"{timezone.localtime(earlier.decided_at):%m/%d/%Y %H:%M} by {earlier.decided_by}. "
            "Nothing was changed."
        ]
        upload.error_count = 1
        upload.save()
        return upload
    plan = check_handoff(uploaded_file, by=by)
    upload.sheet_plain = plan.scanned.plain if plan.scanned else None
    _summarise(upload, plan)
    if plan.errors:
        upload.status = Upload.Status.REJECTED
    elif not plan.changes:
        upload.status = Upload.Status.REJECTED
        upload.errors = ["No row asks for a change (every row is empty or already applied)."]
        upload.error_count = 1
    upload.save()
    return upload


def confirm_handoff(*, upload: Upload, by) -> Upload:
    """Apply every row of a checked upload in one transaction, or none of them."""

    def apply(upload: Upload) -> None:
        # Checked again under row locks: cases may have moved since the preview.
        stored, checked = reopen(upload)
        plan = check_handoff(stored, by=by, lock=True, checked=checked)
        if plan.errors:
            raise NotApplied.of(plan.errors)
        if not plan.changes:
            raise NotApplied(
                ["No row asks for a change any more (every row is empty or already applied)."]
            )
        _apply(plan.changes, by=by)
        _record_applied(upload, plan.changes)
        _summarise(upload, plan)

    return confirm_upload(upload, by=by, apply=apply)


def _record_applied(upload: Upload, rows: list[RowPlan]) -> None:
    """An AppliedRow per applied row, inserted as values (a later upload of the same answers
    is recognised from them)."""
    insert_values(
        AppliedRow,
        ("upload", "case", "row", "action", "mmis_date", "mmis_reference", "reason"),
        (
            (
                upload.pk,
                row.case.pk,
                row.row,
                row.action,
                row.mmis_date,
                row.mmis_reference,
                row.reason,
            )
            for row in rows
        ),
    )


def _apply(rows: list[RowPlan], *, by) -> None:
    """Every change through the cases' bulk services (case_mark_processed's and
    case_return_unprocessed's rules, a few queries per 500 rows instead of five per row)."""
    for action, apply in ((PROCESSED, _mark_processed), (RETURNED, _return_unprocessed)):
        batch = [row for row in rows if row.action == action]
        if not batch:
            continue
        try:
            apply(batch, by=by)
        except StepFailed as failed:
            row = batch[failed.index]
            raise NotApplied(
                [f"Row {row.row}, {row.case.number}: {_words(failed.error)}"]
            ) from None
        except CaseConflict as error:
            raise NotApplied([str(error)]) from None


def _mark_processed(rows: list[RowPlan], *, by) -> None:
    cases_mark_processed(
        items=[
            Processed(
                case=row.case,
                mmis_date=row.mmis_date,
                mmis_reference=row.mmis_reference,
                note=f"Processed in MMIS on {row.mmis_date:%m/%d/%Y} ({row.mmis_reference}); "
                "from the hand-off sheet",
            )
            for row in rows
        ],
        by=by,
    )


def _return_unprocessed(rows: list[RowPlan], *, by) -> None:
    cases_return_unprocessed(
        items=[Returned(case=row.case, reason=row.reason) for row in rows], by=by
    )


def _words(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)
