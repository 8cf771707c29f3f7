from django.db import models


class State(models.TextChoices):
    NEW = "new", "New"
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    REASSIGNED = "reassigned", "Reassigned (queued to the new organization)"
    OUTCOME_REPORTED = "outcome_reported", "Outcome reported"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Waiting for the lead email to go out.
AWAITING_DELIVERY = [State.QUEUED, State.REASSIGNED]
# Still an open lead for the organization (counts toward "fewest open leads").
OPEN = [State.QUEUED, State.REASSIGNED, State.SENT, State.FAILED]
# A coordinator may still move or resend the lead.
MOVABLE = [State.QUEUED, State.REASSIGNED, State.SENT, State.FAILED]
# Sent to the organization and still theirs: a line on their Preferred Assister Report.
REPORTABLE = [State.SENT, State.OUTCOME_REPORTED]


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
