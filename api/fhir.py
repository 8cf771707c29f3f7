"""/api/fhir/: a read-only HL7 FHIR R4 view of referrals, each a Task shaped after the Gravity
Project's SDOH Clinical Care guide ("Task for Referral Management"). Decision note 0013.

A NinjaAPI of its own (not plain views) so the callers authenticate exactly as on /api/v1/ (the
same AUTH list: the session today, API tokens when they join it) and it stays out of v1's
OpenAPI document; it answers `application/fhir+json`, and every error as an OperationOutcome.

Status and businessStatus come from the one table, referrals/states.FHIR_TASK, through
Referral.fhir_status / business_status. Scoping is referrals_visible_to, as everywhere."""

import json
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.renderers import BaseRenderer

from referrals.permissions import referrals_visible_to
from referrals.rules import AssisterType
from referrals.states import FHIR_TASK, DeclineReason, Resolution, State
from tracker.errors import DATABASE_UNAVAILABLE

from .auth import AUTH, THROTTLE
from .cursors import decode_cursor, encode_cursor
from .errors import unavailable
from .referral_common import (
    ID_MAX,
    may_read_referrals,
)

FHIR_JSON = "application/fhir+json"
TASK_PROFILE = (
    "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement"
)
SERVICE_REQUEST_PROFILE = (
    "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ServiceRequest"
)
# The SDOH domain a health-insurance assister works in (SDOHCC's temporary code system).
SDOH_CATEGORY = {
    "system": "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes",
    "code": "health-insurance-coverage-status",
    "display": "Health Insurance Coverage Status",
}
# Our own codes and identifiers: URNs, since the exchange publishes no code systems of its own.
SYSTEM = "urn:exchange-tracker:fhir"
REFERRAL_SYSTEM = f"{SYSTEM}:referral-number"
ORGANIZATION_SYSTEM = f"{SYSTEM}:assister-organization"
ASSISTER_TYPE_SYSTEM = f"{SYSTEM}:assister-type"
RESOLUTION_SYSTEM = f"{SYSTEM}:resolution"
DECLINE_REASON_SYSTEM = f"{SYSTEM}:decline-reason"
REQUESTER = "MNsure Preferred Assister Lead program"

SEARCH_MAX = 100
TASK_STATUSES = sorted({status for status, _ in FHIR_TASK.values()})
OWNER = re.compile(r"(?:Organization/)?([1-9][0-9]{0,9})")
SEARCH_PARAMETERS = {"owner", "status", "_count", "_cursor", "_format"}
# ServiceRequest.status for the lead's Task.status: the request stands while the Task is worked.
REQUEST_STATUS = {
    "draft": "draft",
    "requested": "active",
    "accepted": "active",
    "in-progress": "active",
    "failed": "active",
    "rejected": "active",
    "completed": "completed",
    "cancelled": "revoked",
}


class FhirRenderer(BaseRenderer):
    media_type = FHIR_JSON

    def render(self, request, data, *, response_status):
        return json.dumps(data)


fhir = NinjaAPI(
    title="Exchange Tracker FHIR R4 (read-only)",
    version="R4",
    description="Referrals as SDOHCC Task for Referral Management resources.",
    urls_namespace="api-fhir",
    auth=AUTH,
    throttle=THROTTLE,
    renderer=FhirRenderer(),
    # Its operations are documented in /api/v1/'s docs and the README; no second public schema.
    docs_url=None,
    openapi_url=None,
)


# ---- errors: OperationOutcome ------------------------------------------------------------------
# A FHIR string holds no whitespace but space, tab, CR and LF (R4 `string`: [ \r\n\t\S]+).
_NOT_FHIR_WHITESPACE = re.compile(r"[^\S \r\n\t]")


def fhir_string(text: str) -> str:
    """`text` as a FHIR string: a parameter name echoed back may hold a form feed or the like."""
    return _NOT_FHIR_WHITESPACE.sub(" ", text).strip()


def outcome(code: str, diagnostics: str, expression: str | None = None) -> dict:
    issue = {"severity": "error", "code": code, "diagnostics": fhir_string(diagnostics)}
    expression = fhir_string(expression or "")
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def _answer(request, status, code, diagnostics, expression=None):
    return fhir.create_response(request, outcome(code, diagnostics, expression), status=status)


def _invalid(request, exc):
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        field, problems = next(iter(exc.error_dict.items()))
        return _answer(request, 400, "invalid", " ".join(problems[0].messages), field)
    return _answer(request, 400, "invalid", "; ".join(getattr(exc, "messages", [str(exc)])))


def _schema_invalid(request, exc):
    item = exc.errors[0] if exc.errors else {}
    field = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "path")) or None
    return _answer(request, 400, "invalid", item.get("msg", "Invalid request."), field)


fhir.add_exception_handler(ValidationError, _invalid)
fhir.add_exception_handler(SchemaValidationError, _schema_invalid)
fhir.add_exception_handler(
    PermissionDenied,
    lambda r, e: _answer(r, 403, "forbidden", str(e) or "Your role does not give access."),
)
fhir.add_exception_handler(
    Http404, lambda r, e: _answer(r, 404, "not-found", "No such Task for this caller.")
)
fhir.add_exception_handler(
    AuthenticationError,
    lambda r, e: _answer(
        r, 401, "login", "Sign in, or send a valid API token: Authorization: Bearer <token>."
    ),
)
fhir.add_exception_handler(
    HttpError, lambda r, e: _answer(r, e.status_code, "processing", str(e.message))
)
for _exception in DATABASE_UNAVAILABLE:
    fhir.add_exception_handler(
        _exception,
        lambda r, e: unavailable(
            r, e, _answer(r, 503, "transient", "The database did not answer: try again shortly.")
        ),
    )


# ---- a referral as a Task ------------------------------------------------------------------
def _instant(value):
    return value.isoformat() if value is not None else None


def _code(system, code, display):
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _patient(referral) -> dict:
    telecom = []
    if referral.phone:
        telecom.append({"system": "phone", "value": str(referral.phone), "use": "home"})
    if referral.email:
        telecom.append({"system": "email", "value": referral.email})
    patient = {
        "resourceType": "Patient",
        "id": "patient",
        "name": [{"text": referral.consumer_name}],
        "address": [{"district": f"{referral.county.name} County", "state": "MN"}],
        "communication": [{"language": {"text": referral.language}, "preferred": True}],
    }
    if telecom:
        patient["telecom"] = telecom
    return patient


def _service_request(referral, status: str) -> dict:
    kind = AssisterType(referral.assister_type)
    return {
        "resourceType": "ServiceRequest",
        "id": "request",
        "meta": {"profile": [SERVICE_REQUEST_PROFILE]},
        "status": REQUEST_STATUS[status],
        "intent": "order",
        "category": [{"coding": [SDOH_CATEGORY], "text": SDOH_CATEGORY["display"]}],
        "code": _code(ASSISTER_TYPE_SYSTEM, kind.value, kind.label),
        "subject": {"reference": "#patient"},
        "authoredOn": _instant(referral.created_at),
        "reasonCode": [{"text": referral.reason_for_help}, {"text": referral.type_reason}],
        "note": [{"text": f"Guidance given: {referral.guidance_given}"}],
    }


def _end_of_work(referral, status: str):
    if status == "completed":
        return referral.outcome_reported_at
    if status == "rejected":
        return referral.declined_at
    if status == "cancelled":
        return referral.updated_at
    return None


def task(referral) -> dict:
    """The referral as an SDOHCC Task for Referral Management (R4). Needs county and organization
    loaded."""
    status = referral.fhir_status
    organization = referral.organization
    resource = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "meta": {"profile": [TASK_PROFILE], "lastUpdated": _instant(referral.updated_at)},
        "contained": [_patient(referral), _service_request(referral, status)],
        "identifier": [{"system": REFERRAL_SYSTEM, "value": referral.number}],
        "status": status,
        "businessStatus": {"text": referral.business_status},
        "intent": "order",
        "priority": "routine",
        "code": {
            "coding": [
                {
                    "system": "http://hl7.org/fhir/CodeSystem/task-code",
                    "code": "fulfill",
                    "display": "Fulfill the focal request",
                }
            ]
        },
        "focus": {"reference": "#request"},
        "for": {"reference": "#patient"},
        "authoredOn": _instant(referral.created_at),
        "lastModified": _instant(referral.updated_at),
        "requester": {"display": REQUESTER},
        # Organizations are not served as resources here: a logical reference (our identifier)
        # with the name, which FHIR allows without a resolvable URL.
        "owner": {
            "type": "Organization",
            "identifier": {"system": ORGANIZATION_SYSTEM, "value": str(organization.pk)},
            "display": organization.name,
        },
    }
    if referral.sent_at:
        period = {"start": _instant(referral.sent_at)}
        end = _end_of_work(referral, status)
        if end is not None:
            period["end"] = _instant(end)
        resource["executionPeriod"] = period
    if referral.state == State.DECLINED and referral.decline_reason:
        reason = DeclineReason(referral.decline_reason)
        resource["statusReason"] = _code(DECLINE_REASON_SYSTEM, reason.value, reason.label)
        if referral.decline_note:
            resource["statusReason"]["text"] = f"{reason.label}: {referral.decline_note}"
    outputs = []
    if referral.resolution and status in ("in-progress", "completed"):
        resolution = Resolution(referral.resolution)
        outputs.append(
            {
                "type": {"text": "Resolution"},
                "valueCodeableConcept": _code(
                    RESOLUTION_SYSTEM, resolution.value, resolution.label
                ),
            }
        )
    if referral.contact_date and status in ("in-progress", "completed"):
        outputs.append(
            {"type": {"text": "Contact date"}, "valueDate": referral.contact_date.isoformat()}
        )
    if referral.appointment_on and status in ("in-progress", "completed"):
        outputs.append(
            {"type": {"text": "Appointment date"}, "valueDate": referral.appointment_on.isoformat()}
        )
    if referral.comments and status == "completed":
        outputs.append({"type": {"text": "Comments"}, "valueString": referral.comments})
    if outputs:
        resource["output"] = outputs
    return resource


# ---- endpoints -----------------------------------------------------------------------------
def _visible(user):
    if not may_read_referrals(user):
        raise PermissionDenied("Your role does not give access to referrals.")
    return referrals_visible_to(user).select_related("county", "organization")


def _base(request) -> str:
    return request.build_absolute_uri("/api/fhir/")


@fhir.get("/Task/{task_id}", summary="One referral as a Task")
def task_read(request, task_id: str):
    if not re.fullmatch(r"[1-9][0-9]{0,9}", task_id) or int(task_id) > ID_MAX:
        raise Http404
    return task(get_object_or_404(_visible(request.auth), pk=int(task_id)))


def _search(params) -> dict:
    """The search's parameters, checked: a ValidationError naming the first bad one."""
    unknown = sorted(set(params) - SEARCH_PARAMETERS)
    if unknown:
        raise ValidationError(
            {
                unknown[
                    0
                ]: f"Unknown search parameter; supported: {', '.join(sorted(SEARCH_PARAMETERS))}."
            }
        )
    for name in params:
        if len(params.getlist(name)) > 1:
            raise ValidationError({name: "Give this parameter once."})
        if len(params[name]) > 200:
            raise ValidationError({name: "Too long."})
    search = {"owner": None, "status": [], "count": 50, "cursor": None}
    owner = params.get("owner")
    if owner is not None:
        match = OWNER.fullmatch(owner)
        if not match or int(match.group(1)) > ID_MAX:
            raise ValidationError({"owner": "Give the owner as Organization/<id>."})
        search["owner"] = int(match.group(1))
    status = params.get("status")
    if status is not None:
        codes = status.split(",")
        bad = [code for code in codes if code not in TASK_STATUSES]
        if bad:
            raise ValidationError(
                {
                    "status": f"“{bad[0][:40]}” is not a Task status; "
                    f"one of {', '.join(TASK_STATUSES)}."
                }
            )
        search["status"] = codes
    count = params.get("_count")
    if count is not None:
        if not count.isascii() or not count.isdigit() or not 1 <= int(count) <= SEARCH_MAX:
            raise ValidationError({"_count": f"A whole number from 1 to {SEARCH_MAX}."})
        search["count"] = int(count)
    cursor = params.get("_cursor")
    if cursor is not None:
        (search["cursor"],) = decode_cursor(cursor, 1)
    fmt = params.get("_format")
    if fmt is not None and fmt not in ("json", FHIR_JSON, "application/json"):
        raise ValidationError({"_format": "Only JSON is served."})
    return search


def _states_for(statuses: list[str]) -> list[str]:
    return [state for state, (status, _) in FHIR_TASK.items() if status in statuses]


@fhir.get("/Task", summary="Search Tasks by owner and status (a searchset Bundle)")
def task_search(request):
    search = _search(request.GET)
    queryset = _visible(request.auth)
    if search["owner"] is not None:
        queryset = queryset.filter(organization_id=search["owner"])
    if search["status"]:
        queryset = queryset.filter(state__in=_states_for(search["status"]))
    if search["cursor"] is not None:
        queryset = queryset.filter(pk__gt=search["cursor"])
    rows = list(queryset.order_by("pk")[: search["count"] + 1])
    page = rows[: search["count"]]
    base = _base(request)
    query = request.GET.urlencode()
    links = [{"relation": "self", "url": f"{base}Task" + (f"?{query}" if query else "")}]
    if len(rows) > search["count"]:
        following = request.GET.copy()
        following["_cursor"] = encode_cursor(page[-1].pk)
        links.append({"relation": "next", "url": f"{base}Task?{following.urlencode()}"})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}Task/{referral.pk}",
                "resource": task(referral),
                "search": {"mode": "match"},
            }
            for referral in page
        ],
    }
