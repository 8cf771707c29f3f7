"""Schemas shared by the API's routers: the error shape (api/errors.py) for the OpenAPI
document, and the error responses every authenticated endpoint may give."""

from ninja import Schema


class Error(Schema):
    field: str | None
    rule: str
    message: str


class Errors(Schema):
    errors: list[Error]


# Every endpoint: not signed in / no valid token, refused, not found, bad input, too many calls.
ERRORS = {401: Errors, 403: Errors, 404: Errors, 422: Errors, 429: Errors}
