"""/metrics (issue 16): Prometheus text behind a bearer token; requests, latency, transitions,
lead deliveries and queue depths. Counters live for the whole test process, so each test
compares a scrape before and after what it does."""

import os
import re
import subprocess
import sys
import textwrap

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families

from referrals.models import LeadDelivery

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-metrics-token-for-tests"


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client=None) -> dict:
    """{(sample name, sorted labels): value} from one authorised scrape."""
    response = (client or Client()).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


def test_it_is_not_there_without_a_token(settings):
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer é"],
)
def test_it_refuses_a_missing_or_wrong_token(token, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = Client().get("/metrics", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"tracker_" not in response.content


def test_a_signed_in_admin_without_the_token_is_refused_too(token, client, admin_user):
    client.force_login(admin_user)
    assert client.get("/metrics").status_code == 401


def test_it_counts_requests_by_view_and_status_with_their_latency(token, client, csr):
    before = scrape()
    client.force_login(csr)
    assert client.get("/cases/mine/").status_code == 200
    assert client.get("/cases/999999/").status_code == 404
    after = scrape()
    for view, status in [("cases:mine", "200"), ("cases:detail", "404")]:
        labels = {"view": view, "method": "GET", "status": status}
        assert (
            value(after, "tracker_http_requests_total", **labels)
            == value(before, "tracker_http_requests_total", **labels) + 1
        )
    count = "tracker_http_request_duration_seconds_count"
    assert value(after, count, view="cases:mine") == value(before, count, view="cases:mine") + 1


def test_it_counts_saved_transitions_by_model_and_name(
    token, log_case, qc_lead, django_capture_on_commit_callbacks
):
    from cases import services

    before = scrape()
    with django_capture_on_commit_callbacks(execute=True):
        first = log_case()
        log_case()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_vet_true(case=first, by=qc_lead)
    after = scrape()

    def delta(transition):
        name, labels = (
            "tracker_transitions_total",
            {"model": "cases.Case", "transition": transition},
        )
        return value(after, name, **labels) - value(before, name, **labels)

    assert (delta("log"), delta("vet_true"), delta("vet_false")) == (2, 1, 0)


def test_a_transition_rolled_back_is_not_counted(
    token, log_case, django_capture_on_commit_callbacks
):
    from django.db import transaction

    before = scrape()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            log_case()
            raise RuntimeError("the rest of the service failed")
    labels = {"model": "cases.Case", "transition": "log"}
    assert value(scrape(), "tracker_transitions_total", **labels) == value(
        before, "tracker_transitions_total", **labels
    )


def test_it_counts_lead_deliveries_by_outcome_and_the_sent_transition(
    token, make_org, make_sent_referral, make_referral, settings, django_capture_on_commit_callbacks
):
    before = scrape()
    make_sent_referral(organization=make_org("Lakes Navigators"))
    settings.EMAIL_BACKEND = "tests.tracker.test_metrics.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        make_referral(organization=make_org("River Brokers", kind="broker"))
    after = scrape()

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("tracker_lead_deliveries_total", outcome="sent") == 1
    assert delta("tracker_lead_deliveries_total", outcome="retry") == 1
    assert (
        delta("tracker_transitions_total", model="referrals.Referral", transition="mark_sent") == 1
    )


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_it_reports_queue_depths_at_scrape_time(token, make_org, make_referral, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from django.db import transaction

    organization = make_org("Lakes Navigators")
    with transaction.atomic():  # stays uncommitted in the test: its on_commit enqueue is not run
        for _ in range(3):
            make_referral(organization=organization)
    from referrals.delivery import enqueue

    for delivery in LeadDelivery.objects.all()[:2]:
        enqueue(delivery.pk)
    samples = scrape()
    assert value(samples, "tracker_unsent_leads") == 3
    assert value(samples, "tracker_tasks_pending", queue="default") == 2
    assert value(samples, "tracker_oldest_unsent_lead_age_seconds") >= 0


def test_it_adds_up_every_process_in_multiprocess_mode(tmp_path):
    """gunicorn's workers and the task worker each count in their own process: with
    PROMETHEUS_MULTIPROC_DIR set, a scrape from any of them adds every process's counts up."""
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }
    count = textwrap.dedent(
        """
        import django; django.setup()
        from tracker import metrics
        metrics.LEAD_DELIVERIES.labels(outcome="sent").inc(%d)
        """
    )
    for amount in (2, 3):
        subprocess.run([sys.executable, "-c", count % amount], env=env, check=True)
    read = textwrap.dedent(
        """
        import django; django.setup()
        from prometheus_client import generate_latest
        from prometheus_client.parser import text_string_to_metric_families
        from tracker import metrics
        registry = metrics.counted_registry()
        for family in text_string_to_metric_families(generate_latest(registry).decode()):
            for sample in family.samples:
                if sample.name == "tracker_lead_deliveries_total":
                    print(sample.labels["outcome"], sample.value)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", read], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert out.split() == ["sent", "5.0"]


@given(
    authorization=st.text(st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=200)
)
@example(f"Bearer {TOKEN}")
@example(f"bearer   {TOKEN} ")
@example(f"Basic {TOKEN}")
@example(f" Bearer {TOKEN}")
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_any_authorization_header_gets_an_answer_never_an_error(token, authorization):
    """Whatever a client sends as its token: 200 only for the right one, 401 otherwise."""
    response = Client().get("/metrics", HTTP_AUTHORIZATION=authorization)
    right = re.fullmatch(rf"(?i:bearer) \s*{re.escape(TOKEN)}\s*", authorization)
    assert response.status_code == (200 if right else 401)


def test_it_reports_how_many_closed_days_the_dashboard_rollup_has_not_reached(token, log_case):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    from reports.mco_dashboard import roll_up

    noon = datetime(2026, 12, 3, 12, tzinfo=ZoneInfo("America/Chicago"))

    def behind(at):
        with time_machine.travel(at, tick=False):
            return value(scrape(), "tracker_mco_dashboard_rollup_days_behind")

    assert behind(noon) == 0  # nothing logged
    with time_machine.travel(noon - timedelta(days=5), tick=False):
        log_case()
    assert behind(noon) == 5  # 11/28 to 12/02
    with time_machine.travel(noon, tick=False):
        roll_up()
    assert behind(noon) == 0
    # Midnight starting 12/06, the rollup not run since: 12/03 and 12/04 (12/05 is still
    # settling).
    assert behind(datetime(2026, 12, 6, tzinfo=noon.tzinfo)) == 2
