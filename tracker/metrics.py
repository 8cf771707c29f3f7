"""Prometheus metrics (prometheus_client; docs/decisions/0017-logs-and-metrics.md).

Counted as things happen: requests by view and status and their latency
(tracker/access_log.py), transitions by model and name (tracker/workflow.py, the one place every
transition runs), lead deliveries by outcome (referrals/delivery.py). Computed at scrape time:
the queue depths (tasks waiting for the worker, lead emails not sent yet) and how far behind the
MCO dashboard's rollup of closed days is.

Under gunicorn every worker process counts on its own: with PROMETHEUS_MULTIPROC_DIR set (an
empty directory, shared with the task worker on the same host), prometheus_client writes each
process's values there and /metrics adds them up (README "Health and monitoring").
"""

import hmac
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "tracker_http_requests",
    "Requests answered, by URL name, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "tracker_http_request_duration_seconds",
    "Time to answer a request, by URL name.",
    ["view"],
    # The pages answer in tens of milliseconds; the slowest requests (imports) take seconds and
    # gunicorn stops anything past 60.
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
TRANSITIONS = Counter(
    "tracker_transitions",
    "State machine transitions saved, by model and transition.",
    ["model", "transition"],
)
LEAD_DELIVERIES = Counter(
    "tracker_lead_deliveries",
    "Lead email delivery tries, by outcome (sent, retry, failed).",
    ["outcome"],
)


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    # Methods outside the usual few are one label, so a client cannot grow the series.
    method = method if method in {"GET", "HEAD", "POST", "OPTIONS"} else "other"
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)


def count_transitions(model, name: str, count: int = 1) -> None:
    """Counted once the transaction commits: a transition rolled back never happened."""
    labels = {"model": model._meta.label, "transition": name}
    transaction.on_commit(lambda: TRANSITIONS.labels(**labels).inc(count))


def count_delivery(outcome: str) -> None:
    transaction.on_commit(lambda: LEAD_DELIVERIES.labels(outcome=outcome).inc())


class QueueCollector:
    """Queue depths read from the database at scrape time (small counts), and the days the
    MCO dashboard's scheduled rollup has not reached."""

    def collect(self):
        from .health import oldest_unsent_lead_age, pending_tasks, unsent_leads

        tasks = GaugeMetricFamily(
            "tracker_tasks_pending",
            "Background tasks due and waiting for the worker, by queue.",
            labels=["queue"],
        )
        for queue, count in pending_tasks().items():
            tasks.add_metric([queue], count)
        yield tasks
        yield GaugeMetricFamily(
            "tracker_unsent_leads", "Lead emails not sent yet (pending).", value=unsent_leads()
        )
        age = oldest_unsent_lead_age()
        yield GaugeMetricFamily(
            "tracker_oldest_unsent_lead_age_seconds",
            "How long the oldest lead email not sent yet has waited (0: none).",
            value=age.total_seconds() if age else 0,
        )
        from reports.mco_dashboard.rollup import days_behind

        yield GaugeMetricFamily(
            "tracker_mco_dashboard_rollup_days_behind",
            "Closed days the MCO dashboard's rollup does not hold yet (0: up to date; more than"
            " 1: rollup_mco_dashboard is not running).",
            value=days_behind(),
        )


class _ThisProcess:
    """The default registry's metrics, for a scrape without multiprocess mode."""

    def collect(self):
        return REGISTRY.collect()


def counted_registry() -> CollectorRegistry:
    """What the processes counted: this one's, or with PROMETHEUS_MULTIPROC_DIR every
    process's that wrote there, added up."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    return registry


def _authorized(request) -> bool:
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), settings.METRICS_TOKEN.encode()
    )


@login_not_required  # a scraper has no session: the bearer token below is its sign-in
@never_cache
@require_GET
def metrics_view(request):
    if not settings.METRICS_TOKEN:
        raise Http404  # metrics are off until a token is set
    if not _authorized(request):
        response = HttpResponse(
            "A valid bearer token is required.\n", status=401, content_type="text/plain"
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = counted_registry()
    registry.register(QueueCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
