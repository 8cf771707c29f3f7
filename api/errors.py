"""Errors as JSON that name the field and the rule, never a stack trace.

Shape, for every error the API returns:
    {"errors": [{"field": "ssn", "rule": "invalid", "message": "Enter 9 digits."}]}
`field` is null for errors about the request as a whole (authentication, permission, not found).
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django_fsm import TransitionNotAllowed
from ninja import Status
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as SchemaValidationError

from tracker.errors import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS
from tracker.workflow import Conflict

logger = logging.getLogger("django.request")


def error(field, rule, message):
    return {"field": field, "rule": rule, "message": str(message)}


def body(*errors):
    return {"errors": list(errors)}


def refused(status: int, rule: str, message, field=None):
    """The answer an endpoint returns for a step it did not take."""
    return Status(status, body(error(field, rule, message)))


def step_refusal(exc: Exception):
    """What a case's or a lead's service raises for a step it did not take, as every endpoint
    answers it: the record is not in a state where the step is possible (409, "state"), someone
    moved it meanwhile (409, "conflict"), or this caller may not take the step (403)."""
    if isinstance(exc, TransitionNotAllowed):
        return refused(409, "state", exc)
    if isinstance(exc, Conflict):
        return refused(409, "conflict", exc)
    if isinstance(exc, PermissionDenied):
        return refused(403, "permission", str(exc) or "You may not take this step.")
    raise exc


def _schema_errors(request, exc, api):
    # pydantic's loc is ("body", "payload", "field", ...) or ("query", "field"): keep the
    # field's path.
    errors = []
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path")]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        field = ".".join(loc) or None
        errors.append(error(field, item.get("type", "invalid"), item.get("msg", "")))
    return api.create_response(request, body(*errors), status=422)


def _django_validation(request, exc, api):
    errors = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.error_dict.items():
            for item in field_errors:
                name = None if field == "__all__" else field
                errors.append(error(name, item.code or "invalid", *item.messages))
    else:
        for item in exc.error_list:
            errors.append(error(None, item.code or "invalid", *item.messages))
    return api.create_response(request, body(*errors), status=422)


def _permission(request, exc, api):
    message = str(exc) or "You may not do this."
    return api.create_response(request, body(error(None, "permission", message)), status=403)


def _not_found(request, exc, api):
    return api.create_response(request, body(error(None, "not_found", "Not found.")), status=404)


def unauthenticated_body():
    message = "Sign in, or send a valid API token: Authorization: Bearer <token>."
    return body(error(None, "authentication", message))


def _unauthenticated(request, exc, api):
    return api.create_response(request, unauthenticated_body(), status=401)


def _throttled(request, exc, api):
    # ninja adds Retry-After (whole seconds) to this response.
    message = "Too many calls with this token: wait and try again (see Retry-After)."
    return api.create_response(request, body(error(None, "rate_limit", message)), status=429)


def _http_error(request, exc, api):
    return api.create_response(
        request, body(error(None, "http", exc.message)), status=exc.status_code
    )


def unavailable(request, exc, response):
    """`response` (a 503) for a call the database failed: the traceback to the log, as Django's
    handler would have written it, and Retry-After, as the pages' 503 (tracker.errors) has."""
    logger.error("Database unavailable: %s", request.path, exc_info=exc)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _database_unavailable(request, exc, api):
    message = "The service's database did not answer: try again shortly (see Retry-After)."
    return unavailable(
        request,
        exc,
        api.create_response(request, body(error(None, "unavailable", message)), status=503),
    )


def install(api):
    api.add_exception_handler(SchemaValidationError, lambda r, e: _schema_errors(r, e, api))
    api.add_exception_handler(ValidationError, lambda r, e: _django_validation(r, e, api))
    api.add_exception_handler(PermissionDenied, lambda r, e: _permission(r, e, api))
    api.add_exception_handler(Http404, lambda r, e: _not_found(r, e, api))
    api.add_exception_handler(AuthenticationError, lambda r, e: _unauthenticated(r, e, api))
    api.add_exception_handler(HttpError, lambda r, e: _http_error(r, e, api))
    api.add_exception_handler(Throttled, lambda r, e: _throttled(r, e, api))
    for exception in DATABASE_UNAVAILABLE:
        api.add_exception_handler(exception, lambda r, e: _database_unavailable(r, e, api))
