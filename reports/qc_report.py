"""The QC report ("MCO Manual Tracker CRM Replacement for Excel Tracker", DESIGN.md): the cases
QC has not vetted yet — CSR disposition Plan Selected in Error or MCO Updated — plus those the
State Monitors sent back, as XLSX."""

from operator import itemgetter

from django.utils import timezone

from cases.models import ErredBy, ForCauseReason, Kind, case_number, case_subject, crm_line
from cases.permissions import can_see_full_identifiers
from cases.states import TAXONOMY, State
from tracker.audit import record_identifier_access
from tracker.business_days import business_days_between
from tracker.models import IdentifierAccess

from .export_rows import case_values, full_name, local_date_function
from .exports import xlsx_response
from .sheets import Column, SheetSpec
from .sheets import Kind as CellKind

EXPORT_NAME = "QC report"
KINDS = dict(Kind.choices)
STATES = dict(State.choices)
FOR_CAUSE_REASONS = dict(ForCauseReason.choices)
ERRED_BY = dict(ErredBy.choices)
# What one row needs of its case: values, not a model instance (issue 12).
FIELDS = (
    "pk",
    "created_at",
    "kind",
    "state",
    "for_cause_reason",
    "erred_by",
    "new_provider_name",
    "target_mco__name",
    "csr__username",
    "csr__first_name",
    "csr__last_name",
    "team__name",
    "returned_count",
    "issues_resolved",
    "supervisor_requested",
)


QC_REPORT_SPEC = SheetSpec(
    report_id="qc-report",
    version=1,
    title="QC report",
    filename_stem="qc-report",
    key="case",
    # Each column reads its own key of the row `qc_rows` builds.
    columns=tuple(
        Column(key, header, width, accessor=itemgetter(key), kind=kind)
        for key, header, width, kind in (
            ("case", "Case number", 13, CellKind.TEXT),
            ("logged", "Logged on", 12, CellKind.DATE),
            # The same count as the queue on screen (cases.tables.case_age).
            ("age", "Age (business days)", 9, CellKind.NUMBER),
            ("kind", "Manual reason", 22, CellKind.TEXT),
            ("subject", "Subject", 28, CellKind.TEXT),
            ("disposition", "Disposition", 22, CellKind.TEXT),
            ("state", "Where it stands", 22, CellKind.TEXT),
            ("names", "Participant name(s)", 28, CellKind.TEXT),
            ("ma", "MA number(s)", 16, CellKind.TEXT),
            ("ssn", "SSN(s)", 14, CellKind.TEXT),
            ("mco", "New / requested / correct MCO", 24, CellKind.TEXT),
            ("provider", "New provider", 20, CellKind.TEXT),
            ("for_cause", "For Cause Reason", 18, CellKind.TEXT),
            ("erred_by", "Who erred", 16, CellKind.TEXT),
            ("csr", "CSR", 18, CellKind.TEXT),
            ("team", "Team", 14, CellKind.TEXT),
            ("returned", "Times returned by State Monitor", 12, CellKind.NUMBER),
            ("resolved", "Issues resolved?", 10, CellKind.TEXT),
            ("supervisor", "Supervisor requested?", 10, CellKind.TEXT),
            ("crm", "CRM documentation line", 60, CellKind.TEXT),
        )
    ),
)


def qc_rows(queryset, *, full_ssn: bool, written: list[int] | None = None):
    """One dict per case of `queryset` (keys: the spec's column keys), from its values and its
    participants (export_rows.case_values); masked SSNs are never decrypted. Appends each
    case's pk to `written`."""
    today = timezone.localdate()
    local_date = local_date_function()
    ages: dict = {}  # by the day logged: one count per distinct day, not per case
    # What repeats across rows is worked out once per distinct value (issue 12: rows at
    # ≥ 50,000 a second leave ~20 µs a row): CSRs' names, subjects, state labels.
    csrs: dict = {}
    subjects: dict = {}
    states: dict = {}
    for case, people in case_values(queryset, FIELDS, full_ssn=full_ssn):
        if written is not None:
            written.append(case["pk"])
        logged = local_date(case["created_at"])
        age = ages.get(logged)
        if age is None:
            age = ages[logged] = business_days_between(logged, today)
        kind, mco = case["kind"], case["target_mco__name"] or ""
        reason, state, username = case["for_cause_reason"], case["state"], case["csr__username"]
        subject = subjects.get((kind, reason))
        if subject is None:
            subject = subjects[kind, reason] = case_subject(kind, reason)
        labels = states.get(state)
        if labels is None:
            taxonomy = TAXONOMY.get(state)
            labels = states[state] = (
                taxonomy.disposition if taxonomy else "",
                STATES.get(state, state),
            )
        csr = csrs.get(username)
        if csr is None:
            csr = csrs[username] = full_name(
                case["csr__first_name"], case["csr__last_name"], username
            )
        ssns = people.ssns
        yield {
            "case": case_number(case["pk"]),
            "logged": logged,
            "age": age,
            "kind": KINDS.get(kind, kind),
            "subject": subject,
            "disposition": labels[0],
            "state": labels[1],
            "names": "; ".join(people.names),
            "ma": "; ".join(people.ma_numbers),
            "ssn": "; ".join(ssns),
            "mco": mco,
            "provider": case["new_provider_name"],
            "for_cause": FOR_CAUSE_REASONS.get(reason, ""),
            "erred_by": ERRED_BY.get(case["erred_by"], ""),
            "csr": csr,
            "team": case["team__name"] or "",
            "returned": case["returned_count"],
            "resolved": "Yes" if case["issues_resolved"] else "No",
            "supervisor": "Yes" if case["supervisor_requested"] else "No",
            "crm": crm_line(
                kind=kind,
                names=people.names,
                ma_numbers=people.ma_numbers,
                ssns=ssns,
                mco=mco,
                new_provider_name=case["new_provider_name"],
                for_cause_reason=reason,
            ),
        }


def count_built_rows(user, queryset) -> int:
    """The rows of an export built and dropped, nothing written (bench/qc_report_export.py)."""
    return sum(1 for _ in qc_rows(queryset, full_ssn=can_see_full_identifiers(user)))


def export_qc_report(user, queryset):
    """The QC report XLSX for `queryset`, whatever filtered it. SSNs are masked unless the
    user may see them, in which case the export is recorded."""
    full_ssn = can_see_full_identifiers(user)
    written: list[int] = []

    rows = qc_rows(queryset, full_ssn=full_ssn, written=written)
    response = xlsx_response(QC_REPORT_SPEC, rows)
    if full_ssn:
        record_identifier_access(
            user=user, action=IdentifierAccess.EXPORT, what=EXPORT_NAME, object_ids=written
        )
    return response
