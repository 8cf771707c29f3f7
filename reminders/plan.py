"""What is due on a given day, kind by kind: unsaved Reminder rows (services.py records them).

Each planner returns every event of its kind that `today` calls for; events already recorded are
dropped by the unique key on insert, so planners need not remember what was sent.
"""

from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from referrals.models import (
    HOLIDAY_SUBDIV,
    AssisterReport,
    LeadDelivery,
    Referral,
    contact_due_q,
    overdue_q,
)
from referrals.states import State
from tracker.business_days import add_business_days, is_business_day

from .kinds import Kind
from .models import Reminder

COORDINATORS = "coordinators"
# Business, not calendar, days: a report due on a Monday is reminded on the Thursday before
# (two calendar days would be a Saturday nobody reads); the PAL contact clock counts business days
# too, on the same Minnesota holiday calendar.
REPORT_DUE_NOTICE_BUSINESS_DAYS = 2
# Events older than this are not chased: the first run after deploying (or after a long outage)
# must not mail every organization about last season's reports and failures.
LOOKBACK = timedelta(days=30)


def _row(kind, subject, on, email_key, **related) -> Reminder:
    return Reminder(kind=kind, subject=subject, on=on, email_key=email_key, **related)


def _organization_key(organization_id) -> str:
    return f"organization:{organization_id}"


def contact_due(today: date) -> list[Reminder]:
    """The morning a contact is due, one row per lead, one email per organization: the person
    who works the leads wants one list to go through that morning, not one email per lead, and
    a reminder carries no consumer detail that a separate email per lead would need."""
    leads = Referral.objects.filter(contact_due_q(today)).values_list("pk", "organization_id")
    return [
        _row(
            Kind.CONTACT_DUE,
            f"referral:{pk}",
            today,
            _organization_key(organization_id),
            referral_id=pk,
            organization_id=organization_id,
        )
        for pk, organization_id in leads
    ]


def overdue_digest(today: date) -> list[Reminder]:
    """Every overdue lead, once a business day, in one email to the coordinators (a lead stays
    in each day's digest until contact is reported). Weekends and holidays are skipped: Monday's
    digest lists what is overdue then."""
    if not is_business_day(today, subdiv=HOLIDAY_SUBDIV):
        return []
    leads = Referral.objects.filter(overdue_q(today)).values_list("pk", "organization_id")
    return [
        _row(
            Kind.OVERDUE_DIGEST,
            f"referral:{pk}",
            today,
            COORDINATORS,
            referral_id=pk,
            organization_id=organization_id,
        )
        for pk, organization_id in leads
    ]


def _sent_reports():
    """Reports emailed to the organization and not returned: the only ones it can act on."""
    return AssisterReport.objects.filter(status=AssisterReport.Status.SENT).values_list(
        "pk", "organization_id", "period__due_on"
    )


def report_due(today: date) -> list[Reminder]:
    """From two business days before the due date up to the due date (so a missed run is made
    up the next day), once per report."""
    # The notice day is at most a couple of weeks before the due date, whatever the holidays.
    window = _sent_reports().filter(
        period__due_on__gte=today, period__due_on__lte=today + timedelta(days=14)
    )
    return [
        _row(
            Kind.REPORT_DUE,
            f"report:{pk}",
            due_on,
            _organization_key(organization_id),
            report_id=pk,
            organization_id=organization_id,
        )
        for pk, organization_id, due_on in window
        if add_business_days(due_on, -REPORT_DUE_NOTICE_BUSINESS_DAYS, subdiv=HOLIDAY_SUBDIV)
        <= today
    ]


def _overdue_reports(today: date):
    # AssisterReport.is_overdue, as a query: sent, not returned, past its due date.
    return _sent_reports().filter(period__due_on__lt=today, period__due_on__gte=today - LOOKBACK)


def report_overdue(today: date) -> list[Reminder]:
    """Once per report, the first run after its due date: a reminder to the organization."""
    return [
        _row(
            Kind.REPORT_OVERDUE,
            f"report:{pk}",
            due_on,
            _organization_key(organization_id),
            report_id=pk,
            organization_id=organization_id,
        )
        for pk, organization_id, due_on in _overdue_reports(today)
    ]


def report_overdue_alert(today: date) -> list[Reminder]:
    """Once per report, the first run after its due date: an alert to the coordinators (the
    reports of one run in one email)."""
    return [
        _row(
            Kind.REPORT_OVERDUE_ALERT,
            f"report:{pk}",
            due_on,
            COORDINATORS,
            report_id=pk,
            organization_id=organization_id,
        )
        for pk, organization_id, due_on in _overdue_reports(today)
    ]


def delivery_failed(today: date) -> list[Reminder]:
    """Once per failed lead delivery whose lead still waits on it (not resent or reassigned
    since): the coordinators fix the address and press Resend (referrals.delivery)."""
    deliveries = LeadDelivery.objects.filter(
        status=LeadDelivery.Status.FAILED,
        referral__state=State.FAILED,
        referral__organization=F("organization"),
        created_at__gte=timezone.now() - LOOKBACK,
    ).values_list("pk", "referral_id", "organization_id", "created_at")
    return [
        _row(
            Kind.DELIVERY_FAILED,
            f"delivery:{pk}",
            timezone.localdate(created_at),
            COORDINATORS,
            referral_id=referral_id,
            organization_id=organization_id,
        )
        for pk, referral_id, organization_id, created_at in deliveries
    ]


PLANNERS = {
    Kind.CONTACT_DUE: contact_due,
    Kind.OVERDUE_DIGEST: overdue_digest,
    Kind.REPORT_DUE: report_due,
    Kind.REPORT_OVERDUE: report_overdue,
    Kind.REPORT_OVERDUE_ALERT: report_overdue_alert,
    Kind.DELIVERY_FAILED: delivery_failed,
}
