"""Seeded tracker cases: every kind, every state, with the transitions that led there
(django-fsm-log rows), outreach attempts where the state implies them, and 1–3 participants."""

import random
from datetime import datetime, timedelta

from cases.models import AngelaMelodyOutcome, ErredBy, ForCauseReason, Kind
from cases.states import State

# Where a case ends up, and how often (about 20% waiting in the QC queue, as in issue 12's
# measurements). Each path is the list of (transition, target state) after "log".
PT, OTHER = "pt", "other"
PATHS = [
    # weight, kinds, [(transition, target), ...]
    (12, PT, [("log", State.QUESTION_ANSWERED)]),
    (3, PT, [("log", State.MCO_UPDATED)]),
    (15, OTHER, [("log", State.ESCALATED)]),
    (4, OTHER, [("log", State.ESCALATED), ("vet_true", State.TRUE_TRACKER)]),
    (
        40,
        OTHER,
        [
            ("log", State.ESCALATED),
            ("vet_true", State.TRUE_TRACKER),
            ("mark_processed", State.PROCESSED),
        ],
    ),
    (
        2,
        OTHER,
        [
            ("log", State.ESCALATED),
            ("vet_true", State.TRUE_TRACKER),
            ("return_unprocessed", State.RETURNED_BY_MONITOR),
        ],
    ),
    (
        3,
        OTHER,
        [
            ("log", State.ESCALATED),
            ("vet_true", State.TRUE_TRACKER),
            ("return_unprocessed", State.RETURNED_BY_MONITOR),
            ("require_outreach", State.OUTREACH_REQUIRED),
        ],
    ),
    (
        3,
        OTHER,
        [
            ("log", State.ESCALATED),
            ("vet_false", State.OUTREACH_REQUIRED),
            ("record_attempt", State.OUTREACH_FIRST_ATTEMPT),
        ],
    ),
    (
        6,
        OTHER,
        [
            ("log", State.ESCALATED),
            ("vet_false", State.OUTREACH_REQUIRED),
            ("record_attempt", State.OUTREACH_FIRST_ATTEMPT),
            ("record_attempt", State.OUTREACH_MAX_ATTEMPTS),
        ],
    ),
    (
        8,
        OTHER,
        [
            ("log", State.ESCALATED),
            ("vet_false", State.OUTREACH_REQUIRED),
            ("record_attempt", State.OUTREACH_COMPLETED),
        ],
    ),
    # Logged in error and withdrawn by its CSR before vetting (issue 13).
    (2, OTHER, [("log", State.ESCALATED), ("withdraw", State.WITHDRAWN)]),
    (
        4,
        PT,
        [
            ("log", State.MCO_UPDATED),
            ("vet_false", State.OUTREACH_REQUIRED),
            ("record_attempt", State.OUTREACH_FIRST_ATTEMPT),
            ("record_attempt", State.OUTREACH_COMPLETED),
        ],
    ),
]
_WEIGHTS = [w for w, _k, _p in PATHS]
OTHER_KINDS = [Kind.MCT_SPAN, Kind.FOR_CAUSE, Kind.INCORRECT_SELECTION, Kind.PROVIDER_TERMINATION]
OTHER_KIND_WEIGHTS = [40, 25, 25, 10]  # Angela Melody cases escalate too when the MCO changed
PEOPLE_FIRST = ["Maria", "James", "Aisha", "Tom", "Linh", "Grace", "Omar", "Rosa", "Ivan", "Mei"]
PEOPLE_LAST = ["Lopez", "Carter", "Bello", "Becker", "Tran", "Kim", "Haddad", "Diaz", "Petrov"]


def ssn(rng: random.Random) -> str:
    """A valid-looking SSN (SSA rules of cases.validators.validate_ssn)."""
    area = rng.randint(1, 899)
    if area == 666:
        area = 667
    return f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


def sort_names():
    """case row -> the case's copies of its CSR's, team's and MCO's names (Case.save() fills them
    for cases made through the models; cases.sort_names)."""
    from cases.models import Mco
    from tracker.models import Team, User

    users = {
        u.pk: (u.last_name, u.first_name) for u in User.objects.only("last_name", "first_name")
    }
    teams = dict(Team.objects.values_list("pk", "name"))
    mcos = dict(Mco.objects.values_list("pk", "name"))

    def names(case):
        last, first = users.get(case["csr_id"], ("", ""))
        return {
            "csr_last_name": last,
            "csr_first_name": first,
            "team_name": teams.get(case.get("team_id"), ""),
            "mco_name": mcos.get(case.get("target_mco_id"), ""),
        }

    return names


class CaseMaker:
    def __init__(self, d, *, content_type_id, start: datetime, end: datetime, rng):
        self.d, self.ct, self.rng = d, content_type_id, rng
        self.start, self.span = start, (end - start).total_seconds()
        self.end = end
        self.names = sort_names()

    def make(self, case_id, participant_id, log_id, attempt_id):
        """One case's rows: (case, participants, state logs, attempts)."""
        rng, d = self.rng, self.d
        _w, kinds, path = rng.choices(PATHS, weights=_WEIGHTS)[0]
        if kinds == PT:
            kind = Kind.PROVIDER_TERMINATION
        else:
            kind = rng.choices(OTHER_KINDS, weights=OTHER_KIND_WEIGHTS)[0]
        team_id, supervisor_id, csrs = rng.choice(d.teams)
        csr = rng.choice(csrs)
        created = self.start + timedelta(seconds=rng.random() * self.span)
        case = {
            "id": case_id,
            "kind": kind,
            "state": path[-1][1],
            "csr_id": csr,
            "team_id": team_id,
            "created_at": created,
            "updated_at": created,
            "target_mco_id": rng.choice(d.mcos),
            "issues_resolved": rng.random() < 0.6,
            "supervisor_requested": rng.random() < 0.05,
            "notes": "Consumer called about their plan." if rng.random() < 0.3 else "",
        }
        if kind == Kind.PROVIDER_TERMINATION:
            case["provider_termination_id"] = rng.choice(d.terminations)
            case["angela_melody_outcome"] = (
                AngelaMelodyOutcome.QUESTION_ANSWERED
                if path[0][1] == State.QUESTION_ANSWERED
                else AngelaMelodyOutcome.MCO_UPDATED
            )
            if path[0][1] == State.QUESTION_ANSWERED:
                case["target_mco_id"] = None
        elif kind == Kind.FOR_CAUSE:
            case["for_cause_reason"] = rng.choice(ForCauseReason.values)
        elif kind == Kind.INCORRECT_SELECTION:
            case["erred_by"] = rng.choice(ErredBy.values)
            case["auto_assigned"] = rng.random() < 0.3

        logs, attempts = [], []
        source, when, attempt = State.NEW, created, 0
        for transition, target in path:
            if transition in ("log", "withdraw"):
                by = csr
            elif transition in ("vet_true", "vet_false", "require_outreach"):
                by = rng.choice(d.qc_leads)
            elif transition == "record_attempt":
                by = supervisor_id
            else:
                by = rng.choice(d.monitors)
            logs.append(
                {
                    "id": log_id + len(logs),
                    "timestamp": when,
                    "by_id": by,
                    "source_state": source,
                    "state": target,
                    "transition": transition,
                    "content_type_id": self.ct,
                    "object_id": case_id,
                    "description": None,
                }
            )
            if transition == "withdraw":
                case["withdrawn_from"] = source
                logs[-1]["description"] = "Logged in error"
            if transition == "return_unprocessed":
                case["returned_count"] = 1
            if transition == "mark_processed":
                case["mmis_date"] = when.date()
                case["mmis_reference"] = f"MMIS-{case_id:08d}"
            if transition == "record_attempt":
                attempt += 1
                attempts.append(
                    {
                        "id": attempt_id + len(attempts),
                        "case_id": case_id,
                        "number": attempt,
                        "made_on": when.date(),
                        "method": rng.choice(["phone", "phone", "email", "mail"]),
                        "reached": target == State.OUTREACH_COMPLETED,
                        "note": "",
                        "by_id": by,
                        "recorded_at": when,
                    }
                )
            source = target
            when = min(
                when + timedelta(days=rng.randint(1, 6), minutes=rng.randint(1, 600)), self.end
            )
        case["updated_at"] = logs[-1]["timestamp"]
        case.update(self.names(case))

        people = []
        for _ in range(rng.choices((1, 2, 3), weights=(50, 33, 17))[0]):
            people.append(
                {
                    "id": participant_id + len(people),
                    "case_id": case_id,
                    "name": f"{rng.choice(PEOPLE_FIRST)} {rng.choice(PEOPLE_LAST)}",
                    "ma_number": f"{rng.randint(10**10, 10**11 - 1)}",
                    "ssn": ssn(rng),
                }
            )
        return case, people, logs, attempts
