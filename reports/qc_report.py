"""The QC report ("MCO Manual Tracker CRM Replacement for Excel Tracker", DESIGN.md): the cases
QC has not vetted yet — CSR disposition Plan Selected in Error or MCO Updated — plus those the
State Monitors sent back, as XLSX."""

from typing import NamedTuple

from django.utils import timezone

from cases.models import Case
from cases.permissions import can_see_full_identifiers
from cases.tables import case_age
from tracker.audit import record_identifier_access
from tracker.models import IdentifierAccess

from .exports import xlsx_response
from .sheets import Column, Kind, SheetSpec

EXPORT_NAME = "QC report"


class QcRow(NamedTuple):
    case: Case
    full_ssn: bool


def _people(row: QcRow, attribute: str) -> str:
    return "; ".join(getattr(p, attribute) for p in row.case.participants.all())


def _ssns(row: QcRow) -> str:
    return "; ".join(p.ssn_display(full=row.full_ssn) for p in row.case.participants.all())


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


QC_REPORT_SPEC = SheetSpec(
    report_id="qc-report",
    version=1,
    title="QC report",
    filename_stem="qc-report",
    key="case",
    columns=(
        Column("case", "Case number", 13, accessor=lambda r: r.case.number),
        Column(
            "logged",
            "Logged on",
            12,
            kind=Kind.DATE,
            accessor=lambda r: timezone.localdate(r.case.created_at),
        ),
        Column(
            "age",
            "Age (business days)",
            9,
            kind=Kind.NUMBER,
            # The same count as the queue on screen (cases.tables.case_age).
            accessor=lambda r: case_age(r.case),
        ),
        Column("kind", "Manual reason", 22, accessor=lambda r: r.case.get_kind_display()),
        Column("subject", "Subject", 28, accessor=lambda r: r.case.subject),
        Column(
            "disposition",
            "Disposition",
            22,
            accessor=lambda r: r.case.taxonomy.disposition if r.case.taxonomy else "",
        ),
        Column("state", "Where it stands", 22, accessor=lambda r: r.case.get_state_display()),
        Column("names", "Participant name(s)", 28, accessor=lambda r: _people(r, "name")),
        Column("ma", "MA number(s)", 16, accessor=lambda r: _people(r, "ma_number")),
        Column("ssn", "SSN(s)", 14, accessor=_ssns),
        Column(
            "mco",
            "New / requested / correct MCO",
            24,
            accessor=lambda r: r.case.target_mco.name if r.case.target_mco_id else "",
        ),
        Column("provider", "New provider", 20, accessor=lambda r: r.case.new_provider_name),
        Column(
            "for_cause",
            "For Cause Reason",
            18,
            accessor=lambda r: (
                r.case.get_for_cause_reason_display() if r.case.for_cause_reason else ""
            ),
        ),
        Column(
            "erred_by",
            "Who erred",
            16,
            accessor=lambda r: r.case.get_erred_by_display() if r.case.erred_by else "",
        ),
        Column("csr", "CSR", 18, accessor=lambda r: str(r.case.csr)),
        Column("team", "Team", 14, accessor=lambda r: str(r.case.team or "")),
        Column(
            "returned",
            "Times returned by State Monitor",
            12,
            kind=Kind.NUMBER,
            accessor=lambda r: r.case.returned_count,
        ),
        Column(
            "resolved",
            "Issues resolved?",
            10,
            accessor=lambda r: _yes_no(r.case.issues_resolved),
        ),
        Column(
            "supervisor",
            "Supervisor requested?",
            10,
            accessor=lambda r: _yes_no(r.case.supervisor_requested),
        ),
        Column(
            "crm",
            "CRM documentation line",
            60,
            accessor=lambda r: r.case.documentation_line(full_ssn=r.full_ssn),
        ),
    ),
)


def export_qc_report(user, queryset):
    """The QC report XLSX for `queryset`, whatever filtered it. SSNs are masked unless the
    user may see them, in which case the export is recorded."""
    full_ssn = can_see_full_identifiers(user)
    written: list[int] = []

    def rows():
        for case in queryset.iterator(chunk_size=1000):
            written.append(case.pk)
            yield QcRow(case, full_ssn)

    response = xlsx_response(QC_REPORT_SPEC, rows())
    if full_ssn:
        record_identifier_access(
            user=user, action=IdentifierAccess.EXPORT, what=EXPORT_NAME, object_ids=written
        )
    return response
