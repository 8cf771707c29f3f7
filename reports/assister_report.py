"""The Preferred Assister Report (seed, "Reporting"): one organization's leads of one period,
prefilled, with the columns the organization fills in — Contact Made, Contact Date, Resolution
and Comments — and an instructions sheet with the due date."""

import tempfile

from django.utils import timezone
from django.utils.text import slugify

from referrals.models import AssisterReport, Referral
from referrals.outcomes import COMMENTS, COMMENTS_MAX, CONTACT_DATE, CONTACT_MADE, RESOLUTION
from referrals.states import Resolution

from .exports import xlsx_response
from .sheets import Column, Kind, SheetSpec, write_sheet

REPORT_ID = "preferred-assister-report"
# The hidden About cell naming the report a sheet was downloaded for.
ABOUT_REPORT = "assister report"


def _yes_no(referral):
    return {True: "Y", False: "N"}.get(referral.contact_made)


def _resolution(referral):
    return referral.get_resolution_display() if referral.resolution else None


PAR_SPEC = SheetSpec(
    report_id=REPORT_ID,
    version=1,
    title="Preferred Assister Report",
    filename_stem=REPORT_ID,
    key="referral",
    columns=(
        Column("referral", "Referral ID", 12, accessor=lambda r: r.number),
        Column(
            "sent",
            "Date sent",
            11,
            kind=Kind.DATE,
            accessor=lambda r: timezone.localdate(r.sent_at),
        ),
        Column("consumer", "Consumer name", 24, accessor=lambda r: r.consumer_name),
        Column("phone", "Phone", 14, accessor=lambda r: r.phone),
        Column("email", "Email", 24, accessor=lambda r: r.email),
        Column("county", "County", 14, accessor=lambda r: r.county.name),
        Column("language", "Language", 11, accessor=lambda r: r.language),
        Column("type", "Assister type", 20, accessor=lambda r: r.get_assister_type_display()),
        Column("reason", "Why they sought help", 36, accessor=lambda r: r.reason_for_help),
        # Already-reported answers (from the portal or an earlier upload) come prefilled.
        Column(
            "contact_made",
            CONTACT_MADE,
            10,
            kind=Kind.YES_NO,
            editable=True,
            required=True,
            accessor=_yes_no,
            help="Y if you reached the consumer, N if you could not.",
        ),
        Column(
            "contact_date",
            CONTACT_DATE,
            12,
            kind=Kind.DATE,
            editable=True,
            not_future=True,
            accessor=lambda r: r.contact_date,
            help="When Y: the day you reached the consumer (mm/dd/yyyy).",
        ),
        Column(
            "resolution",
            RESOLUTION,
            30,
            kind=Kind.LIST,
            editable=True,
            required=True,
            choices=tuple(Resolution.labels),
            accessor=_resolution,
            help="Pick one from the list. With N, pick “Unable to contact”.",
        ),
        Column(
            "comments",
            COMMENTS,
            36,
            editable=True,
            accessor=lambda r: r.comments,
            help="Optional.",
            # The model field's bound once it has one; until then the outcome rules' own.
            max_length=COMMENTS_MAX,
        ),
    ),
)


def report_leads(report: AssisterReport):
    """The rows of `report`: the leads its organization was sent in its period."""
    return (
        Referral.objects.filter(organization_id=report.organization_id)
        .reported_in(report.period)
        .select_related("county")
        .order_by("sent_at", "pk")
    )


def instructions(report: AssisterReport) -> list[str]:
    period = report.period
    return [
        f"Preferred Assister Report — {report.organization.name}",
        f"Referrals sent {period.start:%m/%d/%Y} – {period.end:%m/%d/%Y}. "
        f"Due back by {period.due_on:%m/%d/%Y}.",
        "One row per lead sent to you in this period. Fill in only the four columns with gold "
        "headings; do not change the others, add columns or rename the sheet.",
        f"{CONTACT_MADE} (Y/N): Y if you reached the consumer, N if you could not.",
        f"{CONTACT_DATE}: required with Y — the day you reached them (not before the lead was "
        "sent, not in the future). Leave it empty with N.",
        f"{RESOLUTION}: pick one from the list. With N it must be “Unable to contact”.",
        f"{COMMENTS}: optional.",
        "Leave a row empty if you have nothing to report on that lead yet.",
        "Return the report by uploading it in the Exchange Tracker assister portal (or reply to "
        "the email with it attached). You will see what will be recorded before anything is.",
    ]


def filename(report: AssisterReport) -> str:
    org = slugify(report.organization.name)[:40] or "organization"
    return f"{REPORT_ID}-{org}-{report.period.start:%Y-%m-%d}.xlsx"


def _about(report: AssisterReport) -> dict:
    return {ABOUT_REPORT: report.pk}


def download_report(report: AssisterReport):
    return xlsx_response(
        PAR_SPEC,
        report_leads(report).iterator(chunk_size=500),
        instructions=instructions(report),
        about=_about(report),
        filename=filename(report),
    )


def report_workbook(report: AssisterReport) -> bytes:
    """The report as bytes, to attach to an email."""
    with tempfile.TemporaryFile(suffix=".xlsx") as out:
        write_sheet(
            PAR_SPEC,
            report_leads(report).iterator(chunk_size=500),
            out,
            instructions=instructions(report),
            about=_about(report),
        )
        out.seek(0)
        return out.read()
