"""The State Monitor hand-off sheet: true tracker cases with full identifiers, and the columns
the State Monitor fills in (seed: the QC report forwarded to State Monitors, who mark each case
processed in MMIS or not and send it back)."""

from operator import itemgetter

from cases.models import Case, case_number, case_subject
from cases.models import Kind as CaseKind
from cases.permissions import cases_visible_to
from cases.states import State
from tracker.audit import record_identifier_access
from tracker.models import IdentifierAccess

from .export_rows import case_values, full_name, local_date_function
from .exports import xlsx_response
from .models import AppliedRow
from .sheets import Column, Kind, SheetSpec

EXPORT_NAME = "State Monitor hand-off"


def token_of(pk: int, updated_at) -> str:
    """Changes whenever the case is saved: tells the import the case moved since the export."""
    return f"{pk}:{updated_at.timestamp():.6f}"


KINDS = dict(CaseKind.choices)
# What one row needs of its case: values, not a model instance (issue 12).
FIELDS = (
    "pk",
    "kind",
    "for_cause_reason",
    "new_provider_name",
    "target_mco__name",
    "created_at",
    "updated_at",
    "csr__username",
    "csr__first_name",
    "csr__last_name",
    "returned_count",
)


HANDOFF_SPEC = SheetSpec(
    report_id="state-monitor-handoff",
    version=1,
    title="State Monitor hand-off",
    filename_stem="state-monitor-handoff",
    key="case",
    columns=(
        Column("case", "Case number", 13, accessor=itemgetter("case")),
        Column("kind", "Manual reason", 22, accessor=itemgetter("kind")),
        Column("subject", "Subject", 26, accessor=itemgetter("subject")),
        Column("names", "Participant name(s)", 28, accessor=itemgetter("names")),
        Column("ma", "MA number(s)", 16, accessor=itemgetter("ma")),
        Column("ssn", "SSN(s)", 14, accessor=itemgetter("ssn")),
        Column(
            "mco",
            "New / requested MCO",
            24,
            accessor=itemgetter("mco"),
        ),
        Column("provider", "New provider", 20, accessor=itemgetter("provider")),
        Column(
            "logged",
            "Logged on",
            12,
            kind=Kind.DATE,
            accessor=itemgetter("logged"),
        ),
        Column("csr", "CSR", 18, accessor=itemgetter("csr")),
        Column(
            "returned_before",
            "Times returned",
            9,
            kind=Kind.NUMBER,
            accessor=itemgetter("returned_before"),
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
        Column("token", "Row check (do not edit)", 4, accessor=itemgetter("token"), hidden=True),
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


def handoff_rows(queryset, *, written: list[int] | None = None):
    """One dict per case of `queryset` (keys: the spec's column keys), from its values and its
    participants (export_rows.case_values); full SSNs (decrypted, 3–12 µs each). Appends each
    case's pk to `written`."""
    local_date = local_date_function()
    csrs: dict = {}  # names and subjects repeat: worked out once per distinct value
    subjects: dict = {}
    for case, people in case_values(queryset, FIELDS, full_ssn=True):
        if written is not None:
            written.append(case["pk"])
        kind, reason, username = case["kind"], case["for_cause_reason"], case["csr__username"]
        subject = subjects.get((kind, reason))
        if subject is None:
            subject = subjects[kind, reason] = case_subject(kind, reason)
        csr = csrs.get(username)
        if csr is None:
            csr = csrs[username] = full_name(
                case["csr__first_name"], case["csr__last_name"], username
            )
        yield {
            "case": case_number(case["pk"]),
            "kind": KINDS.get(kind, kind),
            "subject": subject,
            "names": "; ".join(people.names),
            "ma": "; ".join(people.ma_numbers),
            "ssn": "; ".join(people.ssns),
            "mco": case["target_mco__name"] or "",
            "provider": case["new_provider_name"],
            "logged": local_date(case["created_at"]),
            "csr": csr,
            "returned_before": case["returned_count"],
            "token": token_of(case["pk"], case["updated_at"]),
        }


def count_built_rows(user, queryset) -> int:
    """The rows of an export built and dropped, nothing written (bench/handoff_export.py)."""
    return sum(1 for _ in handoff_rows(queryset))


def export_handoff(user, queryset):
    """The hand-off XLSX for `queryset`; the export of full identifiers is recorded with the
    exact cases written."""
    written: list[int] = []
    rows = handoff_rows(queryset, written=written)
    response = xlsx_response(HANDOFF_SPEC, rows, instructions=INSTRUCTIONS)
    record_identifier_access(
        user=user, action=IdentifierAccess.EXPORT, what=EXPORT_NAME, object_ids=written
    )
    return response
