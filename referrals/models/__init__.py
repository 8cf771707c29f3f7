from ..languages import LANGUAGES
from .delivery import DeliveryAttempt, LeadDelivery
from .directory import (
    AssisterOrganization,
    ContactChange,
    County,
    Language,
    OrganizationChange,
    OrganizationRequest,
    UnmetRequest,
    paused_q,
)
from .messages import Message, Thread
from .referral import (
    APPOINTMENT_WITHIN_DAYS,
    CONTACT_DUE_BUSINESS_DAYS,
    HOLIDAY_SUBDIV,
    Referral,
    ReferralQuerySet,
    appointment_in_time_q,
    awaiting_contact_q,
    contact_due_q,
    overdue_q,
    referral_number,
)
from .reporting import AssisterReport, ReportingPeriod

__all__ = [
    "AssisterReport",
    "ReportingPeriod",
    "CONTACT_DUE_BUSINESS_DAYS",
    "HOLIDAY_SUBDIV",
    "LANGUAGES",
    "AssisterOrganization",
    "ContactChange",
    "County",
    "Language",
    "Message",
    "Thread",
    "paused_q",
    "DeliveryAttempt",
    "LeadDelivery",
    "OrganizationChange",
    "OrganizationRequest",
    "Referral",
    "referral_number",
    "ReferralQuerySet",
    "UnmetRequest",
    "overdue_q",
    "APPOINTMENT_WITHIN_DAYS",
    "appointment_in_time_q",
    "awaiting_contact_q",
    "contact_due_q",
]
