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
from referrals.states import DeclineReason, Resolution, State
from tracker.business_days import add_business_days

# final state, weight, transitions after "submit": every state of the lifecycle (issue 14),
# most leads completed, as in a season that is well under way.
SENT_ = ("mark_sent", State.SENT)
ACCEPT = ("accept", State.ACCEPTED)
PATHS = [
    (State.COMPLETED, 40, [SENT_, ACCEPT, ("report_outcome", State.COMPLETED)]),
    # Reported on the Preferred Assister Report without accepting in the portal first.
    (State.COMPLETED, 14, [SENT_, ("report_outcome", State.COMPLETED)]),
    (State.IN_PROGRESS, 8, [SENT_, ACCEPT, ("record_contact", State.IN_PROGRESS)]),
    (State.ACCEPTED, 6, [SENT_, ACCEPT]),
    (State.SENT, 15, [SENT_]),
    (State.DECLINED, 3, [SENT_, ("decline", State.DECLINED)]),
    (State.WITHDRAWN, 5, [SENT_, ("withdraw", State.WITHDRAWN)]),
    (State.FAILED, 3, [("mark_failed", State.FAILED)]),
    (State.QUEUED, 3, []),
    (State.REASSIGNED, 3, [SENT_, ("decline", State.DECLINED), ("reassign", State.REASSIGNED)]),
]
_WEIGHTS = [w for _s, w, _p in PATHS]
# A completed lead's Resolution: any but the one that leaves a lead in progress.
CLOSING = [r for r in Resolution.values if r != Resolution.APPOINTMENT_SCHEDULED]
DECLINE_REASONS = [r for r in DeclineReason.values if r != DeclineReason.OTHER]
NAMES = ["Ahmed Warsame", "Mai Vang", "Erik Lindqvist", "Rosa Delgado", "Anna Berg", "Luis Ortiz"]


@lru_cache(maxsize=4096)
def _due(day):
    return add_business_days(day, CONTACT_DUE_BUSINESS_DAYS, subdiv=HOLIDAY_SUBDIV)


class ReferralMaker:
    def __init__(self, d, *, content_type_id, start: datetime, end: datetime, rng: random.Random):
        self.d, self.ct, self.rng = d, content_type_id, rng
        self.start, self.span, self.end = start, (end - start).total_seconds(), end
        self.types = list(AssisterType.values)
        self.made = 0

    def make(self, referral_id, log_id, delivery_id):
        rng, d = self.rng, self.d
        if self.made < len(PATHS):  # each path once first: every state is seeded, however few
            state, _w, path = PATHS[self.made]
        else:
            state, _w, path = rng.choices(PATHS, weights=_WEIGHTS)[0]
        self.made += 1
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
            elif transition == "accept":
                when = min(when + timedelta(hours=rng.randint(1, 40)), self.end)
                by = d.member_of[org]
                referral["accepted_at"] = when
            elif transition == "decline":
                when = min(when + timedelta(hours=rng.randint(1, 40)), self.end)
                by = d.member_of[org]
                referral.update(
                    declined_at=when,
                    decline_reason=rng.choice(DECLINE_REASONS),
                    declined_organization_id=org,
                )
            elif transition == "record_contact":
                when = min(when + timedelta(days=rng.randint(0, 3)), self.end)
                by = d.member_of[org]
                referral.update(
                    contact_made=True,
                    contact_date=when.date(),
                    appointment_on=when.date() + timedelta(days=rng.randint(1, 20)),
                    resolution=Resolution.APPOINTMENT_SCHEDULED,
                    outcome_reported_at=when,
                    outcome_reported_by_id=by,
                )
            elif transition == "report_outcome":
                when = min(when + timedelta(days=rng.randint(1, 12)), self.end)
                by = d.member_of[org]
                reached = rng.random() < 0.8
                referral.update(
                    contact_made=reached,
                    contact_date=when.date() if reached else None,
                    resolution=rng.choice(CLOSING) if reached else Resolution.UNABLE_TO_CONTACT,
                    accepted_at=referral.get("accepted_at") or when,
                    outcome_reported_at=when,
                    outcome_reported_by_id=by,
                )
            elif transition in ("withdraw", "reassign"):
                by = rng.choice(d.coordinators)
                if transition == "reassign":
                    referral["sent_at"] = referral["contact_due_on"] = None
                    referral["accepted_at"] = None
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
