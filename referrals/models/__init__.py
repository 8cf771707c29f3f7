from .delivery import DeliveryAttempt, LeadDelivery
from .directory import (
    AssisterOrganization,
    County,
    OrganizationChange,
    OrganizationRequest,
    UnmetRequest,
)
from .referral import (
    APPOINTMENT_WITHIN_DAYS,
    CONTACT_DUE_BUSINESS_DAYS,
    HOLIDAY_SUBDIV,
    LANGUAGES,
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
    "County",
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
