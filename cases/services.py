"""One function per user action on a case: the only place where a transition runs, its history
row is written (django-fsm-log) and its side-effects are queued (after commit)."""

import logging
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from tracker.history import attribute_to, forget_attribution
from tracker.workflow import Conflict, StepFailed, run_transition, run_transitions

from . import emails
from .history import LOGGED
from .models import Case, OutreachAttempt, Participant

logger = logging.getLogger(__name__)


class CaseConflict(Conflict):
    noun = "case"


def _run(case: Case, name: str, *, by, description: str = "", **kwargs) -> Case:
    return run_transition(
        case,
        name,
        by=by,
        label=f"Case {case.number}",
        conflict=CaseConflict,
        description=description,
        **kwargs,
    )


@transaction.atomic
def case_log(*, case: Case, participants: list[Participant], by) -> Case:
    """CSR logs a case with its participants (seed: "CSR Salesforce Processing")."""
    case.csr = by
    case.team = by.team
    case.full_clean(exclude=["state"])
    for participant in participants:
        participant.full_clean(exclude=["case"])
    if not participants:
        raise ValueError("A case needs at least one participant.")
    attribute_to(case, by, reason=LOGGED)
    case.save()
    forget_attribution(case)
    for participant in participants:
        participant.case = case
        attribute_to(participant, by, reason=LOGGED)
        participant.save()
        forget_attribution(participant)
    return _run(case, "log", by=by)


@transaction.atomic
def case_vet_true(*, case: Case, by, note: str = "") -> Case:
    """QC vetting: a "true" tracker case goes to the State Monitors."""
    return _run(case, "vet_true", by=by, description=note)


@transaction.atomic
def case_vet_false(*, case: Case, by, reason: str) -> Case:
    """QC vetting: not a "true" case, relabelled and sent to the supervisor for outreach."""
    _require(reason, "reason")
    _run(case, "vet_false", by=by, description=reason)
    transaction.on_commit(lambda: emails.send_outreach_required(case.pk))
    return case


@transaction.atomic
def case_mark_processed(
    *, case: Case, by, mmis_date: date, mmis_reference: str, note: str = ""
) -> Case:
    """State Monitor processed the change in MMIS."""
    if mmis_date > timezone.localdate():
        raise ValueError("The MMIS date cannot be in the future.")
    _require(mmis_reference, "MMIS reference")
    return _run(
        case,
        "mark_processed",
        by=by,
        description=note or f"Processed in MMIS on {mmis_date:%m/%d/%Y} ({mmis_reference})",
        mmis_date=mmis_date,
        mmis_reference=mmis_reference,
    )


@transaction.atomic
def case_return_unprocessed(*, case: Case, by, reason: str) -> Case:
    """State Monitor cannot process the case: back to QC (seed: "sent back to the QC Team")."""
    _require(reason, "reason")
    return _run(case, "return_unprocessed", by=by, description=reason)


@dataclass(frozen=True)
class Processed:
    """One case of a bulk "mark processed" (the hand-off import): case_mark_processed's
    arguments."""

    case: Case
    mmis_date: date
    mmis_reference: str
    note: str = ""


@dataclass(frozen=True)
class Returned:
    """One case of a bulk "return unprocessed": case_return_unprocessed's arguments."""

    case: Case
    reason: str


@transaction.atomic
def cases_mark_processed(*, items: list[Processed], by) -> list[Case]:
    """case_mark_processed for many cases at once (the hand-off import): the same checks, in the
    same order, the same transition and history rows, saved a batch at a time. The first case
    that fails raises StepFailed (its index and the error case_mark_processed would raise);
    nothing is saved."""
    steps = []
    for index, item in enumerate(items):
        try:
            if item.mmis_date > timezone.localdate():
                raise ValueError("The MMIS date cannot be in the future.")
            _require(item.mmis_reference, "MMIS reference")
        except ValueError as error:
            raise StepFailed(index, error) from None
        description = (
            item.note or f"Processed in MMIS on {item.mmis_date:%m/%d/%Y} ({item.mmis_reference})"
        )
        kwargs = {"mmis_date": item.mmis_date, "mmis_reference": item.mmis_reference}
        steps.append((item.case, f"Case {item.case.number}", description, kwargs))
    return run_transitions(steps, "mark_processed", by=by, conflict=CaseConflict)


@transaction.atomic
def cases_return_unprocessed(*, items: list[Returned], by) -> list[Case]:
    """case_return_unprocessed for many cases at once (the hand-off import); see
    cases_mark_processed."""
    steps = []
    for index, item in enumerate(items):
        try:
            _require(item.reason, "reason")
        except ValueError as error:
            raise StepFailed(index, error) from None
        steps.append((item.case, f"Case {item.case.number}", item.reason, {}))
    return run_transitions(steps, "return_unprocessed", by=by, conflict=CaseConflict)


@transaction.atomic
def case_require_outreach(*, case: Case, by, reason: str = "") -> Case:
    """QC relabels a returned case for supervisor outreach."""
    _run(case, "require_outreach", by=by, description=reason or "Not processed by State Monitor")
    transaction.on_commit(lambda: emails.send_outreach_required(case.pk))
    return case


@transaction.atomic
def case_record_attempt(
    *, case: Case, by, made_on: date, method: str, reached: bool, note: str = ""
) -> OutreachAttempt:
    """Supervisor outreach attempt; the second unsuccessful one closes as Outreach Max Attempts."""
    if made_on > timezone.localdate():
        raise ValueError("The attempt date cannot be in the future.")
    number = case.outreach_attempts.count() + 1
    outcome = "reached" if reached else "not reached"
    how = dict(OutreachAttempt.Method.choices).get(method, method)
    summary = f"Outreach attempt {number} by {how} on {made_on:%m/%d/%Y}: {outcome}."
    _run(
        case,
        "record_attempt",
        by=by,
        reached=reached,
        description=f"{summary} {note}".strip(),
    )
    attempt = OutreachAttempt(
        case=case, number=number, made_on=made_on, method=method, reached=reached, note=note, by=by
    )
    attempt.full_clean()
    attempt.save()
    return attempt


def _require(value: str, label: str) -> None:
    if not (value or "").strip():
        raise ValueError(f"A {label} is required.")


class BulkVetError(Exception):
    """At least one case of a bulk vetting could not be vetted; none was."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@transaction.atomic
def cases_bulk_vet(*, cases: list[Case], by, verdict: bool, reason: str = "") -> list[Case]:
    """QC vets a selection of the queue true or false in one go: all of them or none.

    Every case goes through case_vet_true / case_vet_false (their checks, history rows and
    emails); the first failure does not stop the loop, so the user sees every problem at once,
    and then the whole selection is rolled back (emails of a rolled-back vetting never go out).
    """
    if not cases:
        raise ValueError("Select at least one case.")
    if not verdict:
        _require(reason, "reason")
    errors = []
    for case in cases:
        try:
            if verdict:
                case_vet_true(case=case, by=by, note=reason)
            else:
                case_vet_false(case=case, by=by, reason=reason)
        except (TransitionNotAllowed, PermissionDenied, CaseConflict, ValueError) as error:
            errors.append(str(error))
    if errors:
        raise BulkVetError(errors)
    return cases
