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

# Closed as done: nobody acts next (Question Answered, Processed, the outreach ends). A case in
# any other logged state is still open: the intake warns before logging another one for the
# same MA number.
DONE = [state for state in State if state != State.NEW and state not in NEXT_ACTOR]
