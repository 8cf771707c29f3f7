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
from tracker.workflow import Conflict, StepFailed, run_transition, run_transitions_as_values

from . import emails, permissions
from .history import CORRECTED, LOGGED
from .models import CONTACT_FIELDS, Case, CaseComment, OutreachAttempt, Participant
from .rules import validate_contact

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
def case_log(
    *, case: Case, participants: list[Participant], by, duplicate_reason: str = ""
) -> Case:
    """CSR logs a case with its participants (seed: "CSR Salesforce Processing").

    `duplicate_reason`: why the CSR logs it although an open case holds one of its MA numbers
    (the intake's duplicate warning, cases.duplicates); kept on the case and on its timeline.
    """
    case.csr = by
    case.team = by.team
    case.duplicate_reason = duplicate_reason.strip()
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
    description = ""
    if case.duplicate_reason:
        description = f"Logged despite an open case: {case.duplicate_reason}"
    return _run(case, "log", by=by, description=description)


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
    arguments. `case`: the Case, or a row of its values (see cases_mark_processed)."""

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
def cases_mark_processed(*, items: list[Processed], by) -> list:
    """case_mark_processed for many cases at once (the hand-off import): the same checks, in the
    same order, the same transition, transition logs and history rows, saved a batch at a time
    (tracker.workflow.run_transitions_as_values: django-fsm's rules asked per case, the model's
    `mark_processed` body says what changes). The first case that fails raises StepFailed (its
    index and the error case_mark_processed would raise); nothing is saved.

    Each item's `case` is a Case or a row of its values holding `pk`, `number`, `state` and
    what the transition reads and sets (mmis_date, mmis_reference, returned_count,
    updated_at); it is updated in place with what was saved."""
    steps = []
    today = timezone.localdate()
    for index, item in enumerate(items):
        try:
            if item.mmis_date > today:
                raise ValueError("The MMIS date cannot be in the future.")
            _require(item.mmis_reference, "MMIS reference")
        except ValueError as error:
            raise StepFailed(index, error) from None
        description = (
            item.note or f"Processed in MMIS on {item.mmis_date:%m/%d/%Y} ({item.mmis_reference})"
        )
        kwargs = {"mmis_date": item.mmis_date, "mmis_reference": item.mmis_reference}
        steps.append((item.case, f"Case {item.case.number}", description, kwargs))
    return run_transitions_as_values(Case, steps, "mark_processed", by=by, conflict=CaseConflict)


@transaction.atomic
def cases_return_unprocessed(*, items: list[Returned], by) -> list:
    """case_return_unprocessed for many cases at once (the hand-off import); see
    cases_mark_processed. The model's `return_unprocessed` counts the return
    (returned_count + 1) from the value the row holds: read it under the row's lock."""
    steps = []
    for index, item in enumerate(items):
        try:
            _require(item.reason, "reason")
        except ValueError as error:
            raise StepFailed(index, error) from None
        steps.append((item.case, f"Case {item.case.number}", item.reason, {}))
    return run_transitions_as_values(
        Case, steps, "return_unprocessed", by=by, conflict=CaseConflict
    )


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


@transaction.atomic
def case_withdraw(*, case: Case, by, reason: str) -> Case:
    """A case logged in error is withdrawn (DESIGN.md "New states"): terminal, out of every
    work list, its reason on the timeline."""
    _require(reason, "reason")
    return _run(case, "withdraw", by=by, description=reason)


@transaction.atomic
def case_correct(
    *,
    case: Case,
    by,
    contact: dict[str, str] | None = None,
    participants: list[Participant] = (),
    removed: list[Participant] = (),
) -> bool:
    """The CSR who logged the case or their supervisor fix a typo before QC vets it; QC after
    (permissions.can_correct). `contact`: new values of the consumer's contact fields;
    `participants`: changed or added participants; `removed`: participants to take off.

    Each change is a field-history row naming `by` (cases.history: before → after, SSNs
    masked). Returns whether anything changed."""
    label = f"Case {case.number}"
    # Lock the row and compare the state this user decided on with the stored one: a vetting
    # in between changes who may correct (and a correction must not undo it).
    stored = Case.objects.select_for_update().values_list("state", flat=True).get(pk=case.pk)
    if stored != case.state:
        raise CaseConflict(label)
    if not permissions.can_correct(case, by):
        raise PermissionDenied(f"You may not correct {label}.")
    contact = {name: value for name, value in (contact or {}).items() if name in CONTACT_FIELDS}
    changed = {name for name, value in contact.items() if getattr(case, name) != value}
    for name in changed:
        setattr(case, name, contact[name])
    if changed:
        case.clean_fields(exclude=[f.name for f in Case._meta.fields if f.name not in changed])
        validate_contact(case)
    if any(p.pk and p.case_id != case.pk for p in [*participants, *removed]):
        raise ValueError("A participant of another case cannot be corrected here.")
    kept = case.participants.exclude(pk__in=[p.pk for p in removed if p.pk]).count()
    added = sum(1 for p in participants if p.pk is None)
    if kept + added < 1:
        raise ValueError("A case needs at least one participant.")
    for participant in participants:
        participant.case = case
        participant.full_clean(exclude=["case"])

    if changed:
        attribute_to(case, by, reason=CORRECTED)
        case.save(update_fields=[*sorted(changed), "updated_at"])
        forget_attribution(case)
    for participant in participants:
        attribute_to(participant, by, reason=CORRECTED)
        participant.save()
        forget_attribution(participant)
    for participant in removed:
        attribute_to(participant, by, reason=CORRECTED)
        participant.delete()
        forget_attribution(participant)
    return bool(changed or participants or removed)


@transaction.atomic
def case_comment_add(*, case: Case, by, text: str) -> CaseComment:
    """Anyone who may see the case adds a comment to its timeline."""
    if not permissions.can_comment(case, by):
        raise PermissionDenied(f"You may not comment on case {case.number}.")
    comment = CaseComment(case=case, author=by, text=text)
    comment.full_clean()
    comment.save()
    return comment


def _require(value: str, label: str) -> None:
    if not (value or "").strip():
        raise ValueError(f"A {label} is required.")


class BulkVetError(Exception):
    """At least one case of a bulk vetting could not be vetted; none was."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


# The most cases one bulk vetting takes. Each case goes through the one-case service (checks,
# history, emails) inside one transaction: 200 is a few seconds, well inside a request's time,
# and more than a QC lead can have checked by eye before saying "all of these".
BULK_VET_MAX = 200


@transaction.atomic
def cases_bulk_vet(*, cases: list[Case], by, verdict: bool, reason: str = "") -> list[Case]:
    """QC vets a selection of the queue true or false in one go: all of them or none.

    Every case goes through case_vet_true / case_vet_false (their checks, history rows and
    emails); the first failure does not stop the loop, so the user sees every problem at once,
    and then the whole selection is rolled back (emails of a rolled-back vetting never go out).
    """
    if not cases:
        raise ValueError("Select at least one case.")
    if len(cases) > BULK_VET_MAX:
        raise ValueError(f"Vet at most {BULK_VET_MAX} cases at once: narrow the filters.")
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
