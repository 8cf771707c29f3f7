"""Fuzzing the API from its own OpenAPI document (schemathesis): for a token of every role, every
operation answers generated requests, valid and not, without a server error and with a body
that matches what the document promises for that status."""

import itertools

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from cases.states import State
from tracker import roles

APP = get_wsgi_application()
# Per operation; ROLE_TURNS hands them out, so each role sends EXAMPLES / 8 or more.
EXAMPLES = 32
ROLE_TURNS = itertools.cycle(roles.ALL_ROLES)


def _document():
    """The document /api/v1/openapi.json serves, from the app itself (schemathesis' lazy
    from_fixture loader, which would fetch it with a token, does not run under pytest 9)."""
    import django

    django.setup()
    from api.v1 import api

    return api.get_openapi_schema(path_params={})


schema = schemathesis.openapi.from_dict(_document())
schema.app = APP


@pytest.fixture
def something_to_find(make_cases, make_org):
    """Cases in several states and a reporting period, so 200 answers are checked too."""
    from datetime import date

    from referrals.models import AssisterReport, ReportingPeriod

    make_cases(2, State.ESCALATED)
    make_cases(2, State.TRUE_TRACKER)
    period = ReportingPeriod.objects.create(
        start=date(2026, 1, 1),
        end=date(2026, 1, 14),
        send_on=date(2026, 1, 17),
        due_on=date(2026, 1, 24),
    )
    AssisterReport.objects.create(organization=make_org("Fuzz Org"), period=period, status="sent")


@pytest.fixture
def keep_the_test_connection():
    """schemathesis calls the WSGI app itself, whose request signals close the database
    connection after each request, and with it the test's transaction on PostgreSQL; Django's
    test client disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearers(keep_the_test_connection, make_token, make_org):
    """A token for every role (one test per operation: schemathesis generates the requests)."""
    cache.clear()  # the rate limit's counters: ids repeat between tests on SQLite
    organization = make_org("Fuzz Org 2")
    headers = {}
    for role in roles.ALL_ROLES:
        new, _ = make_token(
            role, organization=organization if role == roles.ASSISTER else None, name=f"fuzz {role}"
        )
        headers[role] = {"Authorization": f"Bearer {new.key}"}
    yield headers
    cache.clear()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_every_response_as_documented(case, bearers, something_to_find):
    # Each generated request goes with the next role's token: every role meets every
    # operation, at a cost the suite can carry (all roles for every request took 3.5 minutes).
    role = next(ROLE_TURNS)
    case.call_and_validate(
        headers=bearers[role], checks=[not_a_server_error, response_schema_conformance]
    )
