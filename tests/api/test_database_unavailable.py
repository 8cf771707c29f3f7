"""API calls while the database does not answer: a 503 with Retry-After in the API's own error
shape (tests/tracker/test_database_unavailable.py has the pages)."""

import logging

from django.db import OperationalError

from tracker import roles

from ..database_down import database_down


def test_an_api_call_gets_a_json_503(make_token, caplog):
    _, client = make_token(roles.QC_LEAD)
    with caplog.at_level(logging.ERROR, logger="django.request"), database_down():
        response = client.get("/api/v1/cases")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    [error] = response.json()["errors"]
    assert error["rule"] == "unavailable" and "try again" in error["message"]
    assert any(r.exc_info and isinstance(r.exc_info[1], OperationalError) for r in caplog.records)


def test_a_fhir_call_gets_a_transient_operation_outcome(make_token):
    _, client = make_token(roles.PAL_COORDINATOR)
    with database_down():
        response = client.get("/api/fhir/Task")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "transient"
