"""Seeded referrals (PAL leads) over the reporting periods: sent leads with their delivery,
outcomes reported by the organization's assister, a few failed, queued or withdrawn; and each
organization's Preferred Assister Report for every period."""

import random
from datetime import datetime, time, timedelta
from functools import lru_cache

from django.utils import timezone

from referrals.models import CONTACT_DUE_BUSINESS_DAYS, HOLIDAY_SUBDIV, LANGUAGES
from referrals.models.reporting import AssisterReport
from referrals.rules import AssisterType
from referrals.states import Resolution, State
from tracker.business_days import add_business_days

# final state, weight, transitions after "submit"
PATHS = [
    (
        State.OUTCOME_REPORTED,
        62,
        [("mark_sent", State.SENT), ("report_outcome", State.OUTCOME_REPORTED)],
    ),
    (State.SENT, 25, [("mark_sent", State.SENT)]),
    (State.WITHDRAWN, 5, [("mark_sent", State.SENT), ("withdraw", State.WITHDRAWN)]),
    (State.FAILED, 3, [("mark_failed", State.FAILED)]),
    (State.QUEUED, 3, []),
    (State.REASSIGNED, 2, [("mark_sent", State.SENT), ("reassign", State.REASSIGNED)]),
]
_WEIGHTS = [w for _s, w, _p in PATHS]
NAMES = ["Ahmed Warsame", "Mai Vang", "Erik Lindqvist", "Rosa Delgado", "Anna Berg", "Luis Ortiz"]


@lru_cache(maxsize=4096)
def _due(day):
    return add_business_days(day, CONTACT_DUE_BUSINESS_DAYS, subdiv=HOLIDAY_SUBDIV)


class ReferralMaker:
    def __init__(self, d, *, content_type_id, start: datetime, end: datetime, rng: random.Random):
        self.d, self.ct, self.rng = d, content_type_id, rng
        self.start, self.span, self.end = start, (end - start).total_seconds(), end
        self.types = list(AssisterType.values)

    def make(self, referral_id, log_id, delivery_id):
        rng, d = self.rng, self.d
        state, _w, path = rng.choices(PATHS, weights=_WEIGHTS)[0]
        county = rng.choice(d.counties)
        kind = rng.choice(self.types)
        org = rng.choice(d.serving[(kind, county)])
        created = self.start + timedelta(seconds=rng.random() * self.span)
        rep = rng.choice(d.reps)
        application = kind == AssisterType.BROKER or rng.random() < 0.6
        referral = {
            "id": referral_id,
            "state": state,
            "created_by_id": rep,
            "created_at": created,
            "updated_at": created,
            "consumer_name": rng.choice(NAMES),
            "phone": f"612-555-{rng.randint(0, 9999):04d}",
            "county_id": county,
            "language": rng.choice(LANGUAGES),
            "has_active_account": True,
            "has_active_application": application,
            "determination_ma": kind == AssisterType.NAVIGATOR
            and application
            and rng.random() < 0.5,
            "determination_qhp": kind == AssisterType.BROKER,
            "reason_for_help": "Needs help comparing plans.",
            "guidance_given": "Explained the PAL program.",
            "consent": True,
            "assister_type": kind,
            "type_reason": "Seeded.",
            "organization_id": org,
        }
        logs = [self._log(log_id, created, rep, State.NEW, State.QUEUED, "submit", referral_id)]
        deliveries = []
        source, when = State.QUEUED, created
        for transition, target in path:
            when = min(when + timedelta(minutes=rng.randint(1, 90)), self.end)
            by = None
            if transition == "mark_sent":
                referral["sent_at"] = when
                referral["contact_due_on"] = _due(timezone.localdate(when))
                deliveries.append(
                    {
                        "id": delivery_id,
                        "referral_id": referral_id,
                        "organization_id": org,
                        "to_email": f"leads{org}@seed-assisters.example.org",
                        "status": "sent",
                        "attempt_count": 1,
                        "sent_at": when,
                        "created_at": created,
                    }
                )
            elif transition == "report_outcome":
                when = min(when + timedelta(days=rng.randint(1, 12)), self.end)
                by = d.member_of[org]
                reached = rng.random() < 0.8
                referral.update(
                    contact_made=reached,
                    contact_date=when.date() if reached else None,
                    resolution=rng.choice(Resolution.values)
                    if reached
                    else Resolution.UNABLE_TO_CONTACT,
                    outcome_reported_at=when,
                    outcome_reported_by_id=by,
                )
            elif transition in ("withdraw", "reassign"):
                by = rng.choice(d.coordinators)
                if transition == "reassign":
                    referral["sent_at"] = referral["contact_due_on"] = None
            logs.append(
                self._log(log_id + len(logs), when, by, source, target, transition, referral_id)
            )
            source = target
        referral["updated_at"] = when
        return referral, logs, deliveries

    def _log(self, log_id, when, by, source, target, transition, object_id):
        return {
            "id": log_id,
            "timestamp": when,
            "by_id": by,
            "source_state": source,
            "state": target,
            "transition": transition,
            "content_type_id": self.ct,
            "object_id": object_id,
            "description": None,
        }


def report_rows(d, *, first_id: int, today) -> list[dict]:
    """Each organization's report for each period: returned once due, sent once sent."""
    rows = []
    tz = timezone.get_current_timezone()
    for period in d.periods:
        for org in d.organizations:
            row = {"id": first_id + len(rows), "organization_id": org, "period_id": period.pk}
            if period.send_on <= today:
                row["status"] = AssisterReport.Status.SENT
                row["sent_at"] = datetime.combine(period.send_on, time(8), tz)
                if period.due_on < today and (org + period.pk) % 10:  # one in ten never returned
                    row["status"] = AssisterReport.Status.RETURNED
                    row["returned_at"] = datetime.combine(
                        period.due_on - timedelta(days=2), time(15), tz
                    )
            rows.append(row)
    return rows
