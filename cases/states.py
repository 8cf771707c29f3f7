"""The MCO Manual Tracker case states and the Salesforce taxonomy each one projects to.

Read with the transitions on `cases.models.Case`. The taxonomy is never stored: it is looked up
from the state, so it cannot drift from it (DESIGN.md, "The state machine").
"""

from typing import NamedTuple

from django.db import models


class State(models.TextChoices):
    NEW = "new", "New (not yet logged)"
    ESCALATED = "escalated", "Escalated"
    QUESTION_ANSWERED = "question_answered", "Question Answered"
    MCO_UPDATED = "mco_updated", "MCO Updated"
    TRUE_TRACKER = "true_tracker", "True tracker case"
    PROCESSED = "processed", "Processed in MMIS"
    RETURNED_BY_MONITOR = "returned_by_monitor", "Returned by State Monitor"
    OUTREACH_REQUIRED = "outreach_required", "Outreach Required"
    OUTREACH_FIRST_ATTEMPT = "outreach_first_attempt", "Outreach 1st Attempt"
    OUTREACH_MAX_ATTEMPTS = "outreach_max_attempts", "Outreach Max Attempts"
    OUTREACH_COMPLETED = "outreach_completed", "Outreach Completed"
    # Our addition (DESIGN.md "New states"): a case logged in error. Terminal; no row in
    # TAXONOMY, it shows the state it left, closed (taxonomy_of, docs/states.md).
    WITHDRAWN = "withdrawn", "Withdrawn (logged in error)"


RECORD_TYPE = "Medicaid"
CATEGORY = "MCO Plan Shopping"
CHILD_DISPOSITION = "NA"
ESCALATIONS = "MHBE CRM Escalations"
UNASSIGNED = "MHBE CRM Unassigned"
UNABLE = "Unable to Plan Shop"


class Taxonomy(NamedTuple):
    record_type: str
    category: str
    sub_category: str
    disposition: str
    child_disposition: str
    status: str
    owner_queue: str


def _taxonomy(sub_category, disposition, status, owner_queue):
    return Taxonomy(
        RECORD_TYPE, CATEGORY, sub_category, disposition, CHILD_DISPOSITION, status, owner_queue
    )


# state -> taxonomy, exactly the DESIGN.md table (which copies the seed's CRM screens).
TAXONOMY: dict[str, Taxonomy] = {
    State.ESCALATED: _taxonomy("NA", "Plan Selected in Error", "Escalated", ESCALATIONS),
    State.QUESTION_ANSWERED: _taxonomy("Angela Melody", "Question Answered", "Closed", ESCALATIONS),
    State.MCO_UPDATED: _taxonomy("Angela Melody", "MCO Updated", "Closed", ESCALATIONS),
    State.TRUE_TRACKER: _taxonomy(UNABLE, "Plan Selection Corrected", "Closed", UNASSIGNED),
    State.PROCESSED: _taxonomy(UNABLE, "Plan Selection Corrected", "Closed", UNASSIGNED),
    State.RETURNED_BY_MONITOR: _taxonomy(UNABLE, "Plan Selection Corrected", "Closed", UNASSIGNED),
    State.OUTREACH_REQUIRED: _taxonomy(UNABLE, "Outreach Required", "Closed", UNASSIGNED),
    State.OUTREACH_FIRST_ATTEMPT: _taxonomy(
        UNABLE, "Outreach 1st Attempt", "Escalated", UNASSIGNED
    ),
    State.OUTREACH_MAX_ATTEMPTS: _taxonomy(UNABLE, "Outreach Max Attempts", "Closed", UNASSIGNED),
    State.OUTREACH_COMPLETED: _taxonomy(UNABLE, "Outreach Completed", "Closed", UNASSIGNED),
}


def taxonomy_of(state: str, withdrawn_from: str = "") -> Taxonomy | None:
    """The taxonomy a case shows in `state`.

    Withdrawn (a case logged in error, DESIGN.md "New states") has no screen in the seed and no
    row of its own: it shows the taxonomy of the state it was withdrawn from, with status Closed.
    Why: the CRM record keeps the last disposition the exchange's Salesforce actually set (e.g.
    Plan Selected in Error), so nothing reads a picklist value Salesforce does not have; and
    Closed is the status the seed gives every case nobody works any more. The owner queue stays
    what it was: a closed case sits in its queue's closed list, not in anyone's work
    (docs/states.md).
    """
    if state == State.WITHDRAWN:
        before = TAXONOMY.get(withdrawn_from)
        return before._replace(status="Closed") if before else None
    return TAXONOMY.get(state)


# Who acts next in each state, for queues and the case page.
NEXT_ACTOR = {
    State.ESCALATED: "QC Lead",
    State.MCO_UPDATED: "QC Lead",
    State.TRUE_TRACKER: "State Monitor",
    State.RETURNED_BY_MONITOR: "QC Lead",
    State.OUTREACH_REQUIRED: "Supervisor",
    State.OUTREACH_FIRST_ATTEMPT: "Supervisor",
}

# The seed's QC report filter: CSR disposition Plan Selected in Error or MCO Updated,
# not yet vetted.
AWAITING_VETTING = [State.ESCALATED, State.MCO_UPDATED]
OUTREACH_OPEN = [State.OUTREACH_REQUIRED, State.OUTREACH_FIRST_ATTEMPT]
# Logged, and QC has not vetted it (Question Answered never goes to QC, so it stays here): the
# CSR who logged it or their supervisor may still correct or withdraw it.
BEFORE_VETTING = [*AWAITING_VETTING, State.QUESTION_ANSWERED]
# States from which the case can still reach supervisor outreach: the consumer's phone is
# required in them (rules.may_need_outreach).
OUTREACH_AHEAD = [
    *AWAITING_VETTING,
    State.TRUE_TRACKER,
    State.RETURNED_BY_MONITOR,
    *OUTREACH_OPEN,
]
# A case logged in error can be withdrawn until its work is done: not once the change is made
# in MMIS (processed) or the outreach is over (max attempts, completed); those stay as they are.
WITHDRAWABLE = [
    *BEFORE_VETTING,
    State.TRUE_TRACKER,
    State.RETURNED_BY_MONITOR,
    *OUTREACH_OPEN,
]

# Closed as done: nobody acts next (Question Answered, Processed, the outreach ends). A case in
# any other logged state is still open: the intake warns before logging another one for the
# same MA number.
DONE = [state for state in State if state != State.NEW and state not in NEXT_ACTOR]
