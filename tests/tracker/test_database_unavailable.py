"""When the database does not answer (a PostgreSQL restart, issue 16's fault run), pages and API
calls say so with a 503 and Retry-After — something to try again in a moment — not a 500 that
reads like a bug. Other failures stay 500s."""

import logging

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import reverse

from ..database_down import database_down


@pytest.fixture
def production(settings, client):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("exception", [OperationalError, InterfaceError])
def test_a_page_says_try_again_shortly_with_a_request_id(production, qc_lead, caplog, exception):
    production.force_login(qc_lead)
    with caplog.at_level(logging.ERROR, logger="django.request"), database_down(exception):
        response = production.get(reverse("cases:qc_queue"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "briefly unavailable" in html and "try again shortly" in html
    assert f"<code data-request-id>{response['X-Request-ID']}</code>" in html
    assert "server closed the connection" not in html  # the detail stays in the log
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info and isinstance(record.exc_info[1], exception)


def test_once_the_database_answers_again_the_page_works(production, qc_lead):
    production.force_login(qc_lead)
    with database_down():
        assert production.get(reverse("cases:qc_queue")).status_code == 503
    assert production.get(reverse("cases:qc_queue")).status_code == 200


def test_any_other_failure_is_still_a_500(production, qc_lead, monkeypatch):
    import cases.queues as queues

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(queues, "qc_queue", broken)
    production.force_login(qc_lead)
    response = production.get(reverse("cases:qc_queue"))
    assert response.status_code == 500 and "Retry-After" not in response
