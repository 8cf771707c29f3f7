"""One function per reminder email, each rendering a subject / text / HTML template trio.

Reminders carry no consumer detail, whatever LEAD_EMAIL_DETAIL says: the lead number, its county
and dates, and a link behind login (the portal for assisters, the referral page for
coordinators). The lead email already carried what the seed sends; repeating it daily would only
multiply where personal data sits.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from referrals.emails import PROGRAM_CONTACT
from referrals.models import AssisterOrganization, AssisterReport, Referral
from tracker.emails import render_plain_text
from tracker.models import User
from tracker.roles import PAL_COORDINATOR

from .kinds import Kind


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def coordinator_emails() -> list[str]:
    """Every active PAL Coordinator with an email address, read when the email goes out."""
    return sorted(
        User.objects.filter(is_active=True, groups__name=PAL_COORDINATOR)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _message(kind: str, context: dict, to: list[str], **headers) -> EmailMultiAlternatives:
    context = {**context, "program_contact": PROGRAM_CONTACT, "site_url": settings.SITE_URL}
    subject = render_plain_text(f"reminders/emails/{kind}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_plain_text(f"reminders/emails/{kind}.txt", context),
        to=to,
        reply_to=[PROGRAM_CONTACT],
        headers={"X-PAL-Reminder": kind, **headers},
    )
    message.attach_alternative(
        render_to_string(f"reminders/emails/{kind}.html", context), "text/html"
    )
    return message


def _leads(rows, order=("contact_due_on", "pk")):
    ids = [row.referral_id for row in rows]
    return list(
        Referral.objects.filter(pk__in=ids)
        .select_related("county", "organization")
        .only("sent_at", "contact_due_on", "county__name", "organization__name", "organization_id")
        .order_by(*order)
    )


def _reports(rows):
    ids = [row.report_id for row in rows]
    return list(
        AssisterReport.objects.filter(pk__in=ids)
        .select_related("organization", "period")
        .order_by("period__due_on", "organization__name")
    )


def contact_due_email(rows) -> EmailMultiAlternatives:
    organization = AssisterOrganization.objects.get(pk=rows[0].organization_id)
    leads = _leads(rows)
    for lead in leads:
        lead.link = _url("portal:lead", lead.pk)
    context = {"organization": organization, "leads": leads, "day": rows[0].on}
    return _message(Kind.CONTACT_DUE, context, [organization.lead_email])


def overdue_digest_email(rows) -> EmailMultiAlternatives:
    # By organization (the text part groups them), oldest due first within each.
    leads = _leads(rows, order=("organization__name", "contact_due_on", "pk"))
    for lead in leads:
        lead.link = _url("referrals:detail", lead.pk)
    context = {
        "leads": leads,
        "day": rows[0].on,
        "list_url": _url("referrals:list") + "?overdue=true",
    }
    return _message(Kind.OVERDUE_DIGEST, context, coordinator_emails())


def _organization_reports_email(kind, rows) -> EmailMultiAlternatives:
    organization = AssisterOrganization.objects.get(pk=rows[0].organization_id)
    reports = _reports(rows)
    for report in reports:
        report.link = _url("reports:assister_report", report.pk)
    context = {"organization": organization, "reports": reports}
    return _message(kind, context, [organization.lead_email])


def report_due_email(rows) -> EmailMultiAlternatives:
    return _organization_reports_email(Kind.REPORT_DUE, rows)


def report_overdue_email(rows) -> EmailMultiAlternatives:
    return _organization_reports_email(Kind.REPORT_OVERDUE, rows)


def report_overdue_alert_email(rows) -> EmailMultiAlternatives:
    reports = _reports(rows)
    for report in reports:
        report.link = _url("reports:assister_report", report.pk)
    return _message(Kind.REPORT_OVERDUE_ALERT, {"reports": reports}, coordinator_emails())


def delivery_failed_email(rows) -> EmailMultiAlternatives:
    leads = _leads(rows)
    for lead in leads:
        lead.link = _url("referrals:detail", lead.pk)
    context = {"leads": leads, "list_url": _url("referrals:list") + "?state=failed"}
    return _message(Kind.DELIVERY_FAILED, context, coordinator_emails())


EMAILS = {
    Kind.CONTACT_DUE: contact_due_email,
    Kind.OVERDUE_DIGEST: overdue_digest_email,
    Kind.REPORT_DUE: report_due_email,
    Kind.REPORT_OVERDUE: report_overdue_email,
    Kind.REPORT_OVERDUE_ALERT: report_overdue_alert_email,
    Kind.DELIVERY_FAILED: delivery_failed_email,
}


def reminder_email(rows) -> EmailMultiAlternatives:
    """The email for rows of one kind to one reader (services.reminder_deliver)."""
    return EMAILS[rows[0].kind](rows)
