"""/api/v1/cases: the CSR intake, the work lists, a case with its taxonomy and timeline, and its
transitions. Every rule is the pages': the intake forms and cases.duplicates, the list filters
(cases.filters), cases_visible_to / get_case_for, the action registry (cases.actions) and the
services behind it, the identifier-access audit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django_fsm import TransitionNotAllowed
from ninja import Query, Router, Status
from ninja.errors import HttpError

from cases import services
from cases.actions import ACTIONS, available_actions
from cases.duplicates import mark_visible, open_cases_with_ma_numbers
from cases.filters import CsrCaseFilter, QcQueueFilter
from cases.forms import INTAKE_FORMS, MAX_ID, ParticipantFormSet
from cases.permissions import can_see_full_identifiers, cases_visible_to
from cases.services import CaseConflict
from cases.states import taxonomy_of
from cases.views import CASE_ROLES, get_case_for, timeline_for
from tracker.audit import record_identifier_access
from tracker.decorators import role_required
from tracker.models import IdentifierAccess
from tracker.roles import CSR

from . import errors
from .case_schemas import CaseDetail, CaseIn, CasePage, DuplicateWarning, Filters, TransitionIn
from .cursors import decode_instant_cursor, encode_instant_cursor
from .schemas import ERRORS

router = Router(tags=["cases"])

# ---- list --------------------------------------------------------------------------------------


class ApiCaseFilter(CsrCaseFilter, QcQueueFilter):
    """The lists' filters in one set: every state (CsrCaseFilter), and the QC queue's CSR, team
    and MCO; each filter declared once, in cases.filters."""


def _row(case) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "kind": case.kind,
        "state": case.state,
        "state_label": case.get_state_display(),
        "created_at": case.created_at,
        "csr": case.csr.username,
        "team": case.team.name if case.team_id else None,
        "mco": case.target_mco.name if case.target_mco_id else None,
        "taxonomy": _taxonomy(case),
    }


def _taxonomy(case):
    taxonomy = taxonomy_of(case.state, case.withdrawn_from)
    return taxonomy._asdict() if taxonomy else None


@router.get("", response={200: CasePage, **ERRORS}, summary="Cases the caller may see")
@role_required(*CASE_ROLES)
def case_list(request, filters: Query[Filters]):
    """Newest first, `limit` at a time; `next_cursor` fetches the next page. The same cases as
    the caller's pages (cases_visible_to), filtered as the work lists filter."""
    data = filters.dict(exclude={"cursor", "limit"}, exclude_none=True)
    filterset = ApiCaseFilter(
        {key: str(value) for key, value in data.items()},
        queryset=cases_visible_to(request.auth),
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors.as_data())
    queryset = filterset.qs.select_related("csr", "team", "target_mco").order_by(
        "-created_at", "-pk"
    )
    if filters.cursor:
        at, pk = decode_instant_cursor(filters.cursor)
        queryset = queryset.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    page = list(queryset[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {
        "items": [_row(case) for case in page],
        "next_cursor": encode_instant_cursor(page[-1].created_at, page[-1].pk) if more else None,
    }


# ---- read --------------------------------------------------------------------------------------


def _detail(case, user) -> dict:
    full = can_see_full_identifiers(user)
    participants = list(case.participants.all())
    if full:
        # As the case page does (cases.views.case_detail): every reveal is in the access log.
        record_identifier_access(
            user=user,
            action=IdentifierAccess.VIEW,
            what=f"case {case.number}",
            object_ids=[case.pk],
        )
    timeline = [
        {
            **entry,
            "by": entry["by"].username if entry.get("by") else None,
            "changes": [vars(change) for change in entry["changes"]],
        }
        for entry in timeline_for(case)
    ]
    return {
        **_row(case),
        "ssn_full": full,
        "participants": [
            {"name": p.name, "ma_number": p.ma_number, "ssn": p.ssn_display(full=full)}
            for p in participants
        ],
        "documentation_line": case.documentation_line(full_ssn=full, participants=participants),
        **{
            name: getattr(case, name)
            for name in [
                "consumer_phone",
                "best_time_to_call",
                "consumer_email",
                "notes",
                "duplicate_reason",
                "mmis_date",
                "mmis_reference",
                "returned_count",
            ]
        },
        "actions": [action.name for action in available_actions(case, user)],
        "timeline": timeline,
    }


@router.get("/{int:case_id}", response={200: CaseDetail, **ERRORS}, summary="One case")
@role_required(*CASE_ROLES)
def case_read(request, case_id: int):
    """With its taxonomy and timeline. SSNs are masked unless the caller may see them in full
    (State Monitors; each such read is recorded in the identifier access log)."""
    if case_id > MAX_ID:
        raise HttpError(404, "Not found.")
    return _detail(get_case_for(request.auth, case_id), request.auth)


# ---- create ------------------------------------------------------------------------------------


def _form_value(field, value):
    if isinstance(value, bool):
        choices = dict(getattr(field, "choices", []) or [])
        if "yes" in choices:
            return "yes" if value else "no"
        return "on" if value else ""
    return "" if value is None else str(value)


def _raise_form_errors(form, participants) -> None:
    errors = dict(form.errors.as_data())
    for index, row in enumerate(participants.errors):
        for name, items in row.as_data().items():
            errors[f"participants.{index}.{name}"] = items
    if participants.non_form_errors():
        errors["participants"] = participants.non_form_errors().as_data()
    raise ValidationError(errors)


@router.post(
    "",
    response={201: CaseDetail, 409: DuplicateWarning, **ERRORS},
    summary="Log a case (the CSR intake)",
)
@role_required(CSR)
def case_create(request, payload: CaseIn):
    user = request.auth
    form_class = INTAKE_FORMS[payload.kind]
    values = payload.dict()
    form = form_class(
        {
            name: _form_value(field, values.get(name))
            for name, field in form_class.base_fields.items()
            if values.get(name) is not None
        }
    )
    people = {
        "participants-TOTAL_FORMS": str(len(payload.participants)),
        "participants-INITIAL_FORMS": "0",
    }
    for index, person in enumerate(payload.participants):
        for name, value in person.dict().items():
            people[f"participants-{index}-{name}"] = value
    participants = ParticipantFormSet(people, prefix="participants")
    if not (form.is_valid() and participants.is_valid()):
        _raise_form_errors(form, participants)
    new_people = participants.participants()
    duplicates = mark_visible(open_cases_with_ma_numbers(p.ma_number for p in new_people), user)
    reason = payload.duplicate_reason.strip()
    if duplicates and not reason:
        message = (
            "Not logged yet: an open case already holds this MA number. Give duplicate_reason "
            "to log another case."
        )
        return Status(
            409,
            {
                "errors": [{"field": "duplicate_reason", "rule": "duplicate", "message": message}],
                "duplicates": [
                    {
                        "number": case.number,
                        "state": case.state,
                        "created_at": case.created_at,
                        "visible": case.visible,
                        "id": case.pk if case.visible else None,
                    }
                    for case in duplicates
                ],
            },
        )
    try:
        case = services.case_log(
            case=form.save(commit=False),
            participants=new_people,
            by=user,
            duplicate_reason=reason if duplicates else "",
        )
    except ValueError as error:
        raise ValidationError(str(error)) from None
    return Status(201, _detail(get_case_for(user, case.pk), user))


# ---- transitions -------------------------------------------------------------------------------


@router.post(
    "/{int:case_id}/transitions",
    response={200: CaseDetail, 409: ERRORS[422], **ERRORS},
    summary="Take a step on a case",
)
@role_required(*CASE_ROLES)
def case_transition(request, case_id: int, payload: TransitionIn):
    """The step's form and service are the case page's (cases.actions), so the same checks
    apply: 403 when the caller may not take it, 409 when the case has moved on."""
    user = request.auth
    if case_id > MAX_ID:
        raise HttpError(404, "Not found.")
    case = get_case_for(user, case_id)
    chosen = ACTIONS[payload.action]
    if chosen not in available_actions(case, user):
        if any(t.name == chosen.name for t in case.get_available_state_transitions()):
            raise PermissionDenied("You may not take this step on this case.")
        return Status(
            409,
            {
                "errors": [
                    {
                        "field": "action",
                        "rule": "state",
                        "message": f"{case.number} is now {case.get_state_display()}: "
                        f"“{chosen.label}” is not possible. Nothing was changed.",
                    }
                ]
            },
        )
    values = payload.dict(exclude={"action"})
    form = chosen.form(
        {
            name: _form_value(field, values.get(name))
            for name, field in chosen.form.base_fields.items()
            if values.get(name) is not None
        }
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    try:
        chosen.run(case=case, by=user, **form.cleaned_data)
    except (TransitionNotAllowed, CaseConflict) as error:
        return errors.step_refusal(error)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    return Status(200, _detail(get_case_for(user, case.pk), user))
