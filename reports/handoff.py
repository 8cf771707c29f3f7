"""The State Monitor hand-off sheet: true tracker cases with full identifiers, and the columns
the State Monitor fills in (seed: the QC report forwarded to State Monitors, who mark each case
processed in MMIS or not and send it back)."""

from django.utils import timezone

from cases.models import Case
from cases.permissions import cases_visible_to
from cases.states import State
from tracker.audit import record_identifier_access
from tracker.models import IdentifierAccess

from .exports import xlsx_response
from .models import AppliedRow
from .sheets import Column, Kind, SheetSpec

EXPORT_NAME = "State Monitor hand-off"


def version_token(case: Case) -> str:
    """Changes whenever the case is saved: tells the import the case moved since the export."""
    return f"{case.pk}:{case.updated_at.timestamp():.6f}"


def _people(case, attribute):
    return "; ".join(getattr(p, attribute) for p in case.participants.all())


HANDOFF_SPEC = SheetSpec(
    report_id="state-monitor-handoff",
    version=1,
    title="State Monitor hand-off",
    filename_stem="state-monitor-handoff",
    key="case",
    columns=(
        Column("case", "Case number", 13, accessor=lambda c: c.number),
        Column("kind", "Manual reason", 22, accessor=lambda c: c.get_kind_display()),
        Column("subject", "Subject", 26, accessor=lambda c: c.subject),
        Column("names", "Participant name(s)", 28, accessor=lambda c: _people(c, "name")),
        Column("ma", "MA number(s)", 16, accessor=lambda c: _people(c, "ma_number")),
        Column("ssn", "SSN(s)", 14, accessor=lambda c: _people(c, "ssn_formatted")),
        Column(
            "mco",
            "New / requested MCO",
            24,
            accessor=lambda c: c.target_mco.name if c.target_mco_id else "",
        ),
        Column("provider", "New provider", 20, accessor=lambda c: c.new_provider_name),
        Column(
            "logged",
            "Logged on",
            12,
            kind=Kind.DATE,
            accessor=lambda c: timezone.localdate(c.created_at),
        ),
        Column("csr", "CSR", 18, accessor=lambda c: str(c.csr)),
        Column(
            "returned_before",
            "Times returned",
            9,
            kind=Kind.NUMBER,
            accessor=lambda c: c.returned_count,
        ),
        Column(
            "processed",
            "Processed in MMIS (Y/N)",
            12,
            kind=Kind.YES_NO,
            editable=True,
            required=True,
            help="Y if you made the change in MMIS, N if you could not.",
        ),
        Column(
            "mmis_date",
            "MMIS date",
            12,
            kind=Kind.DATE,
            editable=True,
            not_future=True,
            help="When Y: the day you made the change in MMIS (mm/dd/yyyy).",
        ),
        Column(
            "mmis_reference",
            "MMIS reference",
            16,
            editable=True,
            help="When Y: the MMIS transaction or reference number.",
            max_length=Case._meta.get_field("mmis_reference").max_length,
        ),
        Column(
            "reason",
            "Reason not processed",
            36,
            editable=True,
            help="When N: why the change could not be made. The case goes back to QC.",
            max_length=AppliedRow._meta.get_field("reason").max_length,
        ),
        Column("token", "Row check (do not edit)", 4, accessor=version_token, hidden=True),
    ),
)

INSTRUCTIONS = (
    "State Monitor hand-off — how to fill it in",
    "One row per true tracker case. Fill in only the four columns with gold headings; do not "
    "change the others, add columns or rename the sheet.",
    "Processed in MMIS (Y/N): Y if you made the change in MMIS, then fill in MMIS date and MMIS "
    "reference.",
    "N if you could not: fill in Reason not processed; the case goes back to the QC Team.",
    "Leave a row empty to keep the case in the hand-off for later.",
    "Upload the file on the Hand-off page: you will see what will change before anything does.",
)


def handoff_cases(user):
    """The State Monitor hand-off = true_tracker cases (DESIGN.md), as this user may see them."""
    return (
        cases_visible_to(user)
        .filter(state=State.TRUE_TRACKER)
        .select_related("csr", "target_mco")
        .prefetch_related("participants")
        .order_by("created_at", "pk")
    )


def export_handoff(user, queryset):
    """The hand-off XLSX for `queryset`; the export of full identifiers is recorded with the
    exact cases written."""
    written: list[int] = []

    def rows():
        for case in queryset.iterator(chunk_size=1000):
            written.append(case.pk)
            yield case

    response = xlsx_response(HANDOFF_SPEC, rows(), instructions=INSTRUCTIONS)
    record_identifier_access(
        user=user, action=IdentifierAccess.EXPORT, what=EXPORT_NAME, object_ids=written
    )
    return response
