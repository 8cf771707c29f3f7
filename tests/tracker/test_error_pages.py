"""Error pages in the app's layout (issue 11): what happened and where to go, the reason a view
gave for a 403, and a request id on every 500 that is also in the server log."""

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.urls("tests.tracker.error_urls")


@pytest.fixture
def production(settings, client):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def test_it_shows_a_500_with_a_request_id_that_is_in_the_log(production, qc_lead, caplog):
    production.force_login(qc_lead)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = production.get("/test-errors/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert f"<code data-request-id>{request_id}</code>" in html
    assert "Something went wrong on our side" in html and 'href="/"' in html
    assert "kaboom" not in html  # the traceback stays in the log
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.request_id == request_id
    assert record.exc_info and "kaboom" in str(record.exc_info[1])


def test_it_writes_the_request_id_on_the_log_line(production, qc_lead):
    from tracker.request_id import RequestIdFilter

    stream_handler = logging.StreamHandler()
    stream_handler.addFilter(RequestIdFilter())
    stream_handler.setFormatter(logging.Formatter("[request %(request_id)s] %(message)s"))
    lines = []
    stream_handler.emit = lambda record: lines.append(stream_handler.format(record))
    logger = logging.getLogger("django.request")
    logger.addHandler(stream_handler)
    try:
        production.force_login(qc_lead)
        response = production.get("/test-errors/boom/")
    finally:
        logger.removeHandler(stream_handler)
    assert lines[0].startswith(f"[request {response['X-Request-ID']}] Internal Server Error")


def test_it_shows_the_reason_the_view_gave_on_a_styled_403(production, qc_lead):
    production.force_login(qc_lead)
    response = production.get("/test-errors/refuse/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only QC Leads may vet cases." in html
    assert "css/tracker.css" in html and 'class="main-nav"' in html
    assert reverse("cases:qc_queue") in html  # the navigation of the user's role


def test_it_shows_a_role_refusal_from_the_app_in_its_layout(production, csr):
    production.force_login(csr)
    response = production.get(reverse("cases:qc_queue"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your role does not give you access to this page." in html
    assert "css/tracker.css" in html and "home page" in html


def test_it_shows_a_404_in_the_layout(production, qc_lead):
    production.force_login(qc_lead)
    response = production.get("/cases/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is nothing here" in html and "css/tracker.css" in html


def test_it_shows_a_400_in_the_layout(production, qc_lead):
    production.force_login(qc_lead)
    response = production.get("/test-errors/bad/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "could not be understood" in html and "css/tracker.css" in html


def test_it_explains_an_expired_form_in_the_layout(qc_lead):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(qc_lead)
    response = client.post(reverse("cases:qc_bulk_vet"), {"verdict": "true"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form had expired" in html and "css/tracker.css" in html


def test_it_renders_the_500_page_without_a_database(rf):
    """The handler must not need the database (or context processors): it may be what failed.
    This test has no database access: pytest-django fails any query."""
    from tracker.errors import server_error

    request = rf.get("/")
    request.id = "abc123"
    response = server_error(request)
    assert response.status_code == 500
    assert "abc123" in response.content.decode()
