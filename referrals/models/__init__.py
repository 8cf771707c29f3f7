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
    CONTACT_DUE_BUSINESS_DAYS,
    HOLIDAY_SUBDIV,
    Referral,
    ReferralQuerySet,
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
]
