"""The case state machine, table-driven over every (state, transition, role).

The expected tables below are copied from DESIGN.md by hand, not imported from the code, so a
drift between the design and the code fails here.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm import TransitionNotAllowed, has_transition_perm
from django_fsm_log.models import StateLog

from cases.actions import ACTIONS
from cases.models import Case, Kind
from cases.states import State

# DESIGN.md "The state machine": sub-category, disposition, status, owner queue.
DESIGN_TAXONOMY = {
    "escalated": ("NA", "Plan Selected in Error", "Escalated", "MHBE CRM Escalations"),
    "question_answered": ("Angela Melody", "Question Answered", "Closed", "MHBE CRM Escalations"),
    "mco_updated": ("Angela Melody", "MCO Updated", "Closed", "MHBE CRM Escalations"),
    "true_tracker": (
        "Unable to Plan Shop",
        "Plan Selection Corrected",
        "Closed",
        "MHBE CRM Unassigned",
    ),
    "processed": (
        "Unable to Plan Shop",
        "Plan Selection Corrected",
        "Closed",
        "MHBE CRM Unassigned",
    ),
    "returned_by_monitor": (
        "Unable to Plan Shop",
        "Plan Selection Corrected",
        "Closed",
        "MHBE CRM Unassigned",
    ),
    "outreach_required": (
        "Unable to Plan Shop",
        "Outreach Required",
        "Closed",
        "MHBE CRM Unassigned",
    ),
    "outreach_first_attempt": (
        "Unable to Plan Shop",
        "Outreach 1st Attempt",
        "Escalated",
        "MHBE CRM Unassigned",
    ),
    "outreach_max_attempts": (
        "Unable to Plan Shop",
        "Outreach Max Attempts",
        "Closed",
        "MHBE CRM Unassigned",
    ),
    "outreach_completed": (
        "Unable to Plan Shop",
        "Outreach Completed",
        "Closed",
        "MHBE CRM Unassigned",
    ),
}

# transition -> [(source states, roles allowed from them)]. "supervisor" is the case team's
# supervisor, "csr" the CSR who logged the case.
BEFORE_VETTING = ["escalated", "question_answered", "mco_updated"]
AFTER_VETTING = [
    "true_tracker",
    "returned_by_monitor",
    "outreach_required",
    "outreach_first_attempt",
]
DESIGN_TRANSITIONS = {
    "log": [(["new"], {"csr", "admin"})],
    "vet_true": [(["escalated", "mco_updated"], {"qc_lead", "admin"})],
    "vet_false": [(["escalated", "mco_updated"], {"qc_lead", "admin"})],
    "mark_processed": [(["true_tracker"], {"monitor", "admin"})],
    "return_unprocessed": [(["true_tracker"], {"monitor", "admin"})],
    "require_outreach": [(["returned_by_monitor"], {"qc_lead", "admin"})],
    "record_attempt": [(["outreach_required", "outreach_first_attempt"], {"supervisor", "admin"})],
    # DESIGN.md "New states": withdrawn by its CSR or their supervisor before QC vets it, by QC
    # after; not once the work is done (processed, outreach over) nor twice.
    "withdraw": [
        (BEFORE_VETTING, {"csr", "supervisor", "admin"}),
        (AFTER_VETTING, {"qc_lead", "admin"}),
    ],
}


def roles_allowed(state, name):
    for sources, roles in DESIGN_TRANSITIONS[name]:
        if state in sources:
            return roles
    return set()


# (source, transition, variant) -> target; variant is the CSR outcome or the attempt outcome.
DESIGN_TARGETS = {
    ("new", "log", "escalation"): "escalated",
    ("new", "log", "question_answered"): "question_answered",
    ("new", "log", "mco_updated"): "mco_updated",
    ("escalated", "vet_true", None): "true_tracker",
    ("mco_updated", "vet_true", None): "true_tracker",
    ("escalated", "vet_false", None): "outreach_required",
    ("mco_updated", "vet_false", None): "outreach_required",
    ("true_tracker", "mark_processed", None): "processed",
    ("true_tracker", "return_unprocessed", None): "returned_by_monitor",
    ("returned_by_monitor", "require_outreach", None): "outreach_required",
    ("outreach_required", "record_attempt", "not_reached"): "outreach_first_attempt",
    ("outreach_required", "record_attempt", "reached"): "outreach_completed",
    ("outreach_first_attempt", "record_attempt", "not_reached"): "outreach_max_attempts",
    ("outreach_first_attempt", "record_attempt", "reached"): "outreach_completed",
    **{(source, "withdraw", None): "withdrawn" for source in BEFORE_VETTING + AFTER_VETTING},
}

ROLES = [
    "csr",
    "other_csr",
    "supervisor",
    "other_supervisor",
    "qc_lead",
    "monitor",
    "admin",
    "pal_rep",
    "pal_coordinator",
    "assister",
]
STATES = [s.value for s in State]


@pytest.fixture
def people(
    csr,
    other_csr,
    supervisor,
    other_supervisor,
    qc_lead,
    monitor,
    admin_user,
    pal_rep,
    pal_coordinator,
    assister_user,
):
    return {
        "csr": csr,
        "other_csr": other_csr,
        "supervisor": supervisor,
        "other_supervisor": other_supervisor,
        "qc_lead": qc_lead,
        "monitor": monitor,
        "admin": admin_user,
        "pal_rep": pal_rep,
        "pal_coordinator": pal_coordinator,
        "assister": assister_user,
    }


def case_in(state, *, csr, kind=Kind.MCT_SPAN, **fields):
    """A case put straight into `state` (fixtures only: the app never assigns the state)."""
    from cases.models import Mco, Participant

    mco = Mco.objects.get(name="Priority Partners")
    case = Case.objects.create(
        state=state, kind=kind, csr=csr, team=csr.team, target_mco=mco, **fields
    )
    Participant.objects.create(
        case=case, name="Maria Lopez", ma_number="10000000001", ssn="123456789"
    )
    return case


def take(case, name, user, variant=None):
    """Take a transition the way the app does (through its service)."""
    if name == "log":
        from cases.services import _run

        return _run(case, "log", by=user)
    data = {
        "vet_true": {},
        "vet_false": {"reason": "Not a true tracker case"},
        "mark_processed": {"mmis_date": date(2026, 11, 2), "mmis_reference": "MMIS-1"},
        "return_unprocessed": {"reason": "No MCT span"},
        "require_outreach": {"reason": "Returned"},
        "record_attempt": {
            "made_on": date(2026, 11, 2),
            "method": "phone",
            "reached": variant == "reached",
            "note": "",
        },
        "withdraw": {"reason": "Logged in error: wrong consumer"},
    }[name]
    return ACTIONS[name].run(case=case, by=user, **data)


def log_variants(state):
    return ["escalation", "question_answered", "mco_updated"] if state == "new" else [None]


MATRIX = [(state, name, role) for state in STATES for name in DESIGN_TRANSITIONS for role in ROLES]


@pytest.mark.parametrize("state,name,role", MATRIX)
def test_it_allows_each_transition_exactly_where_the_design_does(
    state, name, role, people, mcos, termination
):
    expected = role in roles_allowed(state, name)
    case = case_in(state, csr=people["csr"])
    user = people[role]
    method = getattr(case, name)

    assert has_transition_perm(method, user) is expected

    if not expected:
        logs_before = StateLog.objects.count()
        with pytest.raises((PermissionDenied, TransitionNotAllowed)):
            take(case, name, user, variant="not_reached")
        case.refresh_from_db()
        assert case.state == state
        assert StateLog.objects.count() == logs_before


def expected_taxonomy(source, target):
    """DESIGN.md: a withdrawn case shows the taxonomy of the state it left, with status Closed."""
    if target == "withdrawn":
        sub_category, disposition, _status, owner = DESIGN_TAXONOMY[source]
        return (sub_category, disposition, "Closed", owner)
    return DESIGN_TAXONOMY[target]


ALLOWED = [
    (source, name, variant, role)
    for (source, name, variant) in DESIGN_TARGETS
    for role in sorted(roles_allowed(source, name))
]


@pytest.mark.parametrize("source,name,variant,role", ALLOWED)
def test_it_projects_the_design_taxonomy_after_each_allowed_transition(
    source, name, variant, role, people, mcos, termination
):
    fields = {}
    if name == "log" and variant != "escalation":
        fields = {
            "kind": Kind.PROVIDER_TERMINATION,
            "provider_termination": termination,
            "angela_melody_outcome": variant,
        }
    case = case_in(source, csr=people["csr"], **fields)

    take(case, name, people[role], variant)

    case.refresh_from_db()
    target = DESIGN_TARGETS[(source, name, variant)]
    assert case.state == target
    taxonomy = case.taxonomy
    assert (taxonomy.record_type, taxonomy.category, taxonomy.child_disposition) == (
        "Medicaid",
        "MCO Plan Shopping",
        "NA",
    )
    assert (
        taxonomy.sub_category,
        taxonomy.disposition,
        taxonomy.status,
        taxonomy.owner_queue,
    ) == expected_taxonomy(source, target)
    log = StateLog.objects.for_(case).latest("pk")
    assert (log.source_state, log.state, log.transition, log.by) == (
        source,
        target,
        name,
        people[role],
    )


def test_it_refuses_the_supervisor_of_another_team(people, mcos):
    case = case_in("outreach_required", csr=people["csr"])
    with pytest.raises(PermissionDenied):
        take(case, "record_attempt", people["other_supervisor"], "not_reached")
    case.refresh_from_db()
    assert case.state == "outreach_required"
    assert case.outreach_attempts.count() == 0


def test_it_cannot_assign_the_state_by_hand(people, mcos):
    case = case_in("escalated", csr=people["csr"])
    with pytest.raises(AttributeError):
        case.state = "processed"


def test_it_counts_returns_from_the_state_monitor(people, mcos):
    case = case_in("true_tracker", csr=people["csr"])
    take(case, "return_unprocessed", people["monitor"])
    take(case, "require_outreach", people["qc_lead"])
    case.refresh_from_db()
    assert case.returned_count == 1


def test_it_records_who_when_and_why_for_every_transition(log_case, qc_lead, monitor):
    case = log_case(kind=Kind.FOR_CAUSE)
    take(case, "vet_true", qc_lead)
    take(case, "return_unprocessed", monitor)
    logs = list(StateLog.objects.for_(case).order_by("pk"))
    assert [(log.transition, log.source_state, log.state) for log in logs] == [
        ("log", "new", "escalated"),
        ("vet_true", "escalated", "true_tracker"),
        ("return_unprocessed", "true_tracker", "returned_by_monitor"),
    ]
    assert logs[2].description == "No MCT span"
    assert logs[2].by == monitor
    assert all(log.timestamp for log in logs)


def test_it_mails_the_csrs_supervisor_when_outreach_is_required(
    log_case, qc_lead, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    case = log_case()
    with django_capture_on_commit_callbacks(execute=True):
        take(case, "vet_false", qc_lead)
    assert [m.to for m in mailoutbox] == [[supervisor.email]]
    assert case.number in mailoutbox[0].subject
    assert "6789" not in mailoutbox[0].body  # no SSN in mail, not even masked
    assert "*******0001" in mailoutbox[0].body  # MA number masked
