"""LOG_FORMAT=json (issue 16): one JSON object a line; every line of a request carries its
request id and the user's id; the access line has the path without its query, the status and
the duration; no name, SSN or email gets through."""

import copy
import io
import json
import logging
import logging.config

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log(settings):
    """The project's own LOGGING with LOG_FORMAT=json, written to a buffer: what production's
    log collector would read."""
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    config["handlers"]["console"]["stream"] = buffer = io.StringIO()
    config["loggers"]["tracker.access"]["level"] = "INFO"
    logging.config.dictConfig(config)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        logging.config.dictConfig(settings.LOGGING)


def test_it_writes_one_object_a_line_sharing_the_request_id(json_log, client, csr, log_case):
    case = log_case()
    client.force_login(csr)
    response = client.get("/cases/999999/")  # a 404: Django logs a warning, we an access line
    assert response.status_code == 404
    lines = json_log()
    ours = [line for line in lines if line["request_id"] == response["X-Request-ID"]]
    assert sorted(line["logger"] for line in ours) == ["django.request", "tracker.access"]
    assert all(line["user_id"] == csr.pk for line in ours)
    (access,) = [line for line in ours if line["logger"] == "tracker.access"]
    assert access["level"] == "INFO"
    assert (access["path"], access["status"], access["view"]) == (
        "/cases/999999/",
        404,
        "cases:detail",
    )
    assert access["duration_ms"] >= 0
    assert access["time"].startswith(str(case.created_at.year))

    other = client.get("/cases/mine/")
    (mine,) = [line for line in json_log() if line["request_id"] == other["X-Request-ID"]]
    assert mine["status"] == 200 and other["X-Request-ID"] != response["X-Request-ID"]


def test_it_keeps_names_ssns_emails_and_queries_out(json_log, client, csr, log_case):
    log_case()
    client.force_login(csr)
    client.get("/search/", {"q": "123-45-6789 Maria Lopez"})
    client.get("/cases/123456789/")  # an SSN-shaped path: masked in the access line
    logging.getLogger("tracker").warning(
        "Something about 123 45 6789", extra={"request": object(), "email": csr.email}
    )
    text = "\n".join(json.dumps(line) for line in json_log())
    for personal in [
        "123-45-6789",
        "123456789",
        "123 45 6789",
        "Maria",
        "Lopez",
        "Alice",
        "Reyes",
        "csr.alice",
        "example.org",
        "q=",
    ]:
        assert personal not in text
    assert "***-**-6789" in text  # the lines are there, masked


def test_it_writes_the_masked_traceback(json_log):
    try:
        raise ValueError("bad SSN 123-45-6789")
    except ValueError:
        logging.getLogger("tracker").exception("It failed")
    (line,) = json_log()
    assert "ValueError: bad SSN ***-**-6789" in line["exc_info"]
    assert line["request_id"] == "-" and line["user_id"] is None


def test_it_logs_anonymous_probes_without_a_user(json_log, client):
    response = client.get("/healthz")
    (line,) = [line for line in json_log() if line["request_id"] == response["X-Request-ID"]]
    assert (line["path"], line["status"], line["user_id"]) == ("/healthz", 200, None)


def test_it_leaves_static_files_out(json_log, settings):
    # WhiteNoise serves from the apps' static folders, as under runserver.
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/tracker.css")
    assert response.status_code == 200
    assert not [line for line in json_log() if line["logger"] == "tracker.access"]


def test_it_keeps_a_request_id_that_happens_to_look_like_an_ssn(json_log):
    # A uuid4 hex with 9 digits in a row: masking it lost the request's lines (a flaky test).
    from tracker.request_id import current_request_id

    request_id = "ab123456789cdef0123abcdefabcdefa"
    token = current_request_id.set(request_id)  # as RequestIdMiddleware does for a request
    try:
        logging.getLogger("tracker.access").info("GET /healthz 200 1.0 ms SSN 123-45-6789")
    finally:
        current_request_id.reset(token)
    (line,) = json_log()
    assert line["request_id"] == request_id
    assert "123-45-6789" not in line["message"]
