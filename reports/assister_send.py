"""Emailing Preferred Assister Reports: on each period's send date (the `send_assister_reports`
command, run daily) and by hand from the coordinator's pages."""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from referrals.emails import PROGRAM_CONTACT
from referrals.models import AssisterReport, ReportingPeriod
from referrals.reporting import reports_for_period
from tracker.emails import render_plain_text

from .assister_report import filename, report_leads, report_workbook
from .exports import XLSX_CONTENT_TYPE

log = logging.getLogger(__name__)


class ReportNotSent(Exception):
    pass


def report_email(report: AssisterReport) -> EmailMessage:
    period = report.period
    context = {
        "organization": report.organization,
        "period": period,
        "count": report_leads(report).count(),
        "site_url": settings.SITE_URL,
        "portal_path": reverse("reports:assister_report", args=[report.pk]),
        "program_contact": PROGRAM_CONTACT,
    }
    message = EmailMessage(
        subject=f"Preferred Assister Report {period} — due {period.due_on:%m/%d/%Y}",
        body=render_plain_text("reports/emails/assister_report.txt", context),
        to=[report.organization.lead_email],
        reply_to=[PROGRAM_CONTACT],
        headers={"X-PAL-Report": str(report.pk)},
    )
    message.attach(filename(report), report_workbook(report), XLSX_CONTENT_TYPE)
    return message


def send_report(report: AssisterReport, *, by=None) -> AssisterReport:
    """Email the report to the organization's designated address; sending again is allowed
    (e.g. after the address was corrected) until the report is returned."""
    try:
        with transaction.atomic():
            report = (
                AssisterReport.objects.select_for_update(of=("self",))
                .select_related("organization", "period")
                .get(pk=report.pk)
            )
            if report.status == AssisterReport.Status.RETURNED:
                raise ReportNotSent(f"The report of {report.organization} was already returned.")
            report_email(report).send()
            report.status = AssisterReport.Status.SENT
            report.sent_at = timezone.now()
            report.sent_by = by
            report.send_error = ""
            report.save(update_fields=["status", "sent_at", "sent_by", "send_error"])
            return report
    except ReportNotSent:
        raise
    except Exception as error:  # the mail server refused or could not be reached
        log.exception("Preferred Assister Report %s not sent", report.pk)
        reason = f"Email to {report.organization.lead_email} failed: {error}"[:300]
        AssisterReport.objects.filter(pk=report.pk).update(send_error=reason)
        raise ReportNotSent(reason) from None


def send_period(period: ReportingPeriod, *, by=None) -> tuple[int, list[str]]:
    """Send every report of the period not sent yet; returns (sent, problems)."""
    sent, problems = 0, []
    for report in reports_for_period(period):
        if report.status != AssisterReport.Status.PENDING:
            continue
        try:
            send_report(report, by=by)
            sent += 1
        except ReportNotSent as error:
            problems.append(str(error))
    return sent, problems


def send_due_reports(today: date) -> tuple[int, list[str]]:
    """The scheduled run: every period whose send date has come; a report that failed to go
    out stays pending and is tried again on the next run."""
    sent, problems = 0, []
    for period in ReportingPeriod.objects.filter(send_on__lte=today):
        period_sent, period_problems = send_period(period)
        sent += period_sent
        problems += period_problems
    return sent, problems
