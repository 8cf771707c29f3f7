"""A referral's states, the groups the rest of the app asks about, and the one table that maps
each state to HL7 FHIR Task as the Gravity Project's SDOH closed-loop referral guide uses it
(docs/states.md shows the same table; a later API serves it from here)."""

from django.db import models


class State(models.TextChoices):
    # Delivery of the lead email (issue 5).
    NEW = "new", "New"
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    REASSIGNED = "reassigned", "Reassigned (queued to the new organization)"
    # The organization's answer and its work on the lead (issue 14).
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Waiting for the lead email to go out.
AWAITING_DELIVERY = [State.QUEUED, State.REASSIGNED]
# Delivered to the organization, and nobody has reported contact yet (with contact_made unset):
# what the contact-due clock and its reminders watch (models.referral.overdue_q / contact_due_q).
AWAITING_CONTACT = [State.SENT, State.ACCEPTED]
# Still an open lead for the organization (counts toward "fewest open leads"): on its way, or
# theirs and not finished. A declined lead is the coordinators' again, not the organization's.
OPEN = [
    State.QUEUED,
    State.REASSIGNED,
    State.SENT,
    State.FAILED,
    State.ACCEPTED,
    State.IN_PROGRESS,
]
# A coordinator may still move the lead to another organization: until contact is made. A
# declined lead is exactly what they reassign.
MOVABLE = [
    State.QUEUED,
    State.REASSIGNED,
    State.SENT,
    State.FAILED,
    State.ACCEPTED,
    State.DECLINED,
]
# Sent to the organization and still theirs: a line on their Preferred Assister Report and in
# their portal. Declined leads are not theirs to report on.
REPORTABLE = [State.SENT, State.ACCEPTED, State.IN_PROGRESS, State.COMPLETED]
# The organization has taken the lead (explicitly, or by working it).
TAKEN = [State.ACCEPTED, State.IN_PROGRESS, State.COMPLETED]


class Resolution(models.TextChoices):
    """The Preferred Assister Report's Resolution drop-down (seed, "Required fields")."""

    ELIGIBLE_MA = "eligible_ma", "Eligible for MA"
    ELIGIBLE_MNCARE = "eligible_mncare", "Eligible for MinnesotaCare"
    ENROLLED_QHP = "enrolled_qhp", "Enrolled in QHP"
    ELIGIBLE_QHP_NO_ENROLLMENT = "eligible_qhp_no_enrollment", "Eligible for QHP no enrollment"
    NO_LONGER_NEEDS = "no_longer_needs", "No longer needs assistance"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Referred to another certified assister"
    UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact"
    TECHNICAL_ONLY = "technical_only", "Assisted with technical issue only"
    APPOINTMENT_SCHEDULED = "appointment_scheduled", "Contact made appointment scheduled"


def state_after_outcome(resolution: str) -> str:
    """Where a reported outcome leaves the lead: "Contact made appointment scheduled" is work
    still to do (the appointment), every other Resolution closes it."""
    if resolution == Resolution.APPOINTMENT_SCHEDULED:
        return State.IN_PROGRESS
    return State.COMPLETED


class DeclineReason(models.TextChoices):
    """Why an organization declines a lead. The seed's own reasons for not taking leads (full,
    closed for a time, not the right kind of help) plus what Gravity's rejected Tasks carry;
    "Other" needs the text to say what."""

    NO_CAPACITY = "no_capacity", "No capacity for an appointment within two weeks"
    LANGUAGE = "language", "Cannot serve the consumer's language"
    COUNTY = "county", "Does not serve the consumer's county"
    WRONG_TYPE = "wrong_type", "Needs a different kind of assister"
    CLOSED = "closed", "Organization closed or not taking leads"
    DUPLICATE = "duplicate", "Already helping this consumer"
    OTHER = "other", "Other (say why)"


# ---- HL7 FHIR Task (Gravity Project SDOH closed-loop referral) --------------------------------
# state -> (Task.status, Task.businessStatus text). The one table: docs/states.md copies it and
# tests/referrals/test_fhir_status.py checks the copy. In progress has two businessStatus
# values, told apart by the lead itself (business_status below).
FHIR_TASK = {
    State.NEW: ("draft", "Not yet sent"),
    State.QUEUED: ("draft", "Lead email queued"),
    State.REASSIGNED: ("draft", "Reassigned, lead email queued to the new organization"),
    State.SENT: ("requested", "Lead delivered to the organization"),
    State.FAILED: ("failed", "Lead email could not be delivered"),
    State.ACCEPTED: ("accepted", "Accepted by the organization"),
    State.DECLINED: ("rejected", "Declined by the organization"),
    State.IN_PROGRESS: ("in-progress", "Contact made"),
    State.COMPLETED: ("completed", "Outcome reported"),
    State.WITHDRAWN: ("cancelled", "Withdrawn"),
}
APPOINTMENT_BUSINESS_STATUS = "Contact made, appointment scheduled"


def fhir_status(state: str) -> str:
    return FHIR_TASK[state][0]


def business_status(referral) -> str:
    """Task.businessStatus for this lead: the state's, except that an in-progress lead with an
    appointment says so."""
    if referral.state == State.IN_PROGRESS and (
        referral.appointment_on or referral.resolution == Resolution.APPOINTMENT_SCHEDULED
    ):
        return APPOINTMENT_BUSINESS_STATUS
    return FHIR_TASK[referral.state][1]
