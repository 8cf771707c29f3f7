"""What the load run left in the database, against what the users were told and what the SMTP
sink received (bench/load/run.py runs it with the app's environment; prints JSON).

  python bench/load/check.py pending                        # work still queued (drain loop)
  python bench/load/check.py verify ACTIONS SINK START       # the figures after the run

Lead emails: each referral the load sent must have reached the sink exactly once. A lead seen
twice is inside one of the two documented duplicate windows (README, "Known limit";
referrals/delivery.py) when its delivery has an "interrupted" attempt (a worker died between the
mail server's acceptance and the app's record) or a failed attempt on which the mail server
closed the connection (SMTPServerDisconnected: it had the message but never answered it, so the
app cannot know it arrived, RFC 5321 §6.1); any other second copy is a duplicate beyond them.
Transitions: every step a user was told was done has its django-fsm-log row (content type,
object, transition name).
"""

import json
import os
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_fsm_log.models import StateLog  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from cases.models import Case  # noqa: E402
from referrals.models import DeliveryAttempt, LeadDelivery, Referral  # noqa: E402


def pending() -> dict:
    now = timezone.now()
    deliveries = LeadDelivery.objects.filter(status=LeadDelivery.Status.PENDING)
    return {
        "pending_deliveries": deliveries.count(),
        "next_retry": str(
            deliveries.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
        ),
        "claimed": deliveries.filter(claimed_until__gt=now).count(),
        # Due now: a retry deferred past the drain shows as a pending delivery instead.
        "ready_tasks": DBTaskResult.objects.filter(status="READY", run_after__lte=now).count(),
    }


def read_lines(path: str) -> list[dict]:
    if not Path(path).exists():
        return []
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def verify(actions_path: str, sink_path: str, start: float) -> dict:
    actions = read_lines(actions_path)
    received = Counter(line["lead"] for line in read_lines(sink_path) if line["lead"])
    since = datetime.fromtimestamp(start, tz=UTC)

    # --- leads: one email each ---
    told_sent = {a["referral"] for a in actions if a["kind"] == "referral_sent"}
    referrals = {
        r.pk: r
        for r in Referral.objects.filter(
            created_at__gte=since, created_by__username__startswith="load."
        )
    }
    interrupted = set(
        DeliveryAttempt.objects.filter(
            outcome=DeliveryAttempt.Outcome.INTERRUPTED, delivery__referral__in=list(referrals)
        ).values_list("delivery__referral_id", flat=True)
    )
    # The mail server hung up mid-conversation: after the message, the copy it kept is one the
    # app was never told about (the sink records a message before it answers).
    unacknowledged = set(
        DeliveryAttempt.objects.filter(
            outcome=DeliveryAttempt.Outcome.FAILED,
            error__startswith="SMTPServerDisconnected",
            delivery__referral__in=list(referrals),
        ).values_list("delivery__referral_id", flat=True)
    )
    statuses = Counter(
        LeadDelivery.objects.filter(referral__in=list(referrals)).values_list("status", flat=True)
    )
    attempts = Counter(
        DeliveryAttempt.objects.filter(delivery__referral__in=list(referrals)).values_list(
            "outcome", flat=True
        )
    )
    failed_once = set(
        DeliveryAttempt.objects.filter(
            outcome=DeliveryAttempt.Outcome.FAILED, delivery__referral__in=list(referrals)
        ).values_list("delivery__referral_id", flat=True)
    )
    exactly_once, lost, in_window, unanswered, beyond = [], [], [], [], []
    for pk, referral in referrals.items():
        copies = received.get(referral.number, 0)
        if copies == 1:
            exactly_once.append(referral.number)
        elif copies == 0:
            lost.append(referral.number)
        elif pk in interrupted:
            in_window.append(referral.number)
        elif pk in unacknowledged:
            unanswered.append(referral.number)
        else:
            beyond.append(referral.number)
    stray = sorted(set(received) - {r.number for r in referrals.values()})

    # --- transitions: each one a user was told was done is in the log ---
    types = {
        "case": ContentType.objects.get_for_model(Case),
        "referral": ContentType.objects.get_for_model(Referral),
    }
    logged = set(
        StateLog.objects.filter(timestamp__gte=since).values_list(
            "content_type_id", "object_id", "transition"
        )
    )
    told_transitions, missing_transitions = 0, []
    for action in actions:
        if action["kind"] == "transition":
            key = (types["case"].pk, action["case"], action["transition"])
        elif action["kind"] == "lead_step":
            key = (types["referral"].pk, action["referral"], action["transition"])
        else:
            continue
        told_transitions += 1
        if key not in logged:
            missing_transitions.append(action)
    told_cases = {a["case"] for a in actions if a["kind"] == "case_logged"}
    cases_found = set(Case.objects.filter(pk__in=told_cases).values_list("pk", flat=True))
    by_load = StateLog.objects.filter(timestamp__gte=since, by__username__startswith="load.")
    return {
        "referrals_told_sent": len(told_sent),
        "referrals_in_db": len(referrals),
        "referrals_told_but_missing": sorted(told_sent - set(referrals)),
        "lead_emails_received": sum(received[r.number] for r in referrals.values()),
        "leads_exactly_once": len(exactly_once),
        "leads_lost": lost,
        # Per fault: the leads a failed send (SMTP down) or a killed worker touched.
        "leads_retried_after_failure": len(failed_once),
        "leads_lost_after_failure": sorted(
            referrals[pk].number for pk in failed_once if referrals[pk].number in lost
        ),
        "leads_interrupted": len(interrupted),
        "leads_lost_after_interruption": sorted(
            referrals[pk].number for pk in interrupted if referrals[pk].number in lost
        ),
        "leads_duplicated_in_window": in_window,
        "leads_duplicated_unacknowledged": unanswered,
        "leads_duplicated_beyond_window": beyond,
        "emails_for_unknown_leads": stray,
        "delivery_status": dict(statuses),
        "delivery_attempts": dict(attempts),
        "cases_told_logged": len(told_cases),
        "cases_told_but_missing": sorted(told_cases - cases_found),
        "transitions_told_done": told_transitions,
        "transitions_missing_from_log": missing_transitions,
        "transitions_logged_by_load_users": by_load.count(),
        "conflicts_refused_cleanly": sum(1 for a in actions if a["kind"] == "conflict"),
    }


if __name__ == "__main__":
    if sys.argv[1] == "pending":
        print(json.dumps(pending()))
    else:
        print(json.dumps(verify(sys.argv[2], sys.argv[3], float(sys.argv[4]))))
