"""The performance scorecard as XLSX: one row per organization, then the total; a second sheet
with coverage by language, one row per preferred language."""

from referrals.states import DeclineReason, Resolution

from .exports import xlsx_response
from .performance import REPORT_OUTCOMES, Scorecard
from .sheets import Column, Kind, SheetSpec


def _resolution_column(value, label):
    return Column(
        f"res_{value}", label, 12, kind=Kind.NUMBER, accessor=lambda s: s.resolutions[value]
    )


def _decline_column(value, label):
    return Column(
        f"dec_{value}",
        f"Declined: {label}",
        14,
        kind=Kind.NUMBER,
        accessor=lambda s: s.decline_reasons[value],
    )


def _number(key, header, accessor, width=12):
    return Column(key, header, width, kind=Kind.NUMBER, accessor=accessor)


def _report_column(key, label):
    return Column(
        f"rep_{key}", f"Reports: {label}", 12, kind=Kind.NUMBER, accessor=lambda s: s.reports[key]
    )


SCORECARD_SPEC = SheetSpec(
    report_id="pal-scorecard",
    version=3,  # 2: acceptance, declines and appointments; 3: coverage by language (issue 14)
    title="PAL scorecard",
    filename_stem="pal-scorecard",
    columns=(
        Column("organization", "Organization", 34, accessor=lambda s: s.name),
        Column("type", "Type", 24, accessor=lambda s: s.kind_label),
        Column("leads", "Leads received", 10, kind=Kind.NUMBER, accessor=lambda s: s.leads),
        Column("contacted", "Contacted", 10, kind=Kind.NUMBER, accessor=lambda s: s.contacted),
        Column(
            "contacted_pct", "% contacted", 10, kind=Kind.NUMBER, accessor=lambda s: s.contacted_pct
        ),
        Column(
            "in_time",
            "Contacted within 2 business days",
            12,
            kind=Kind.NUMBER,
            accessor=lambda s: s.contacted_in_time,
        ),
        Column(
            "in_time_pct",
            "% within 2 business days",
            12,
            kind=Kind.NUMBER,
            accessor=lambda s: s.in_time_pct,
        ),
        Column(
            "median_days",
            "Median days to contact",
            10,
            kind=Kind.NUMBER,
            accessor=lambda s: s.median_days,
        ),
        *(_resolution_column(value, label) for value, label in Resolution.choices),
        Column(
            "not_reported",
            "No outcome yet",
            10,
            kind=Kind.NUMBER,
            accessor=lambda s: s.not_reported,
        ),
        *(_report_column(key, label) for key, label in REPORT_OUTCOMES.items()),
        # Issue 14: the organization's answer to its leads, and appointments.
        _number("accepted", "Accepted", lambda s: s.accepted),
        _number("declined", "Declined", lambda s: s.declined),
        _number("acceptance_pct", "Acceptance rate %", lambda s: s.acceptance_pct),
        _number("median_accept", "Median days to accept", lambda s: s.median_days_to_accept),
        *(_decline_column(value, label) for value, label in DeclineReason.choices),
        _number("appointments", "Appointments", lambda s: s.appointments),
        _number(
            "appointments_in_time",
            "Appointments within two weeks",
            lambda s: s.appointments_in_time,
        ),
        _number(
            "appointments_in_time_pct",
            "% appointments within two weeks",
            lambda s: s.appointments_in_time_pct,
        ),
    ),
)


# Its own sheet, not columns of the first: it is one row per language, not per organization.
LANGUAGES_SPEC = SheetSpec(
    report_id="pal-scorecard-languages",
    version=1,
    title="Coverage by language",
    columns=(
        Column("language", "Preferred language", 18, accessor=lambda r: r.language),
        _number("leads", "Leads received", lambda r: r.leads),
        _number("matched", "Routed to an organization that lists it", lambda r: r.matched, 16),
        _number("matched_pct", "% routed to one that lists it", lambda r: r.matched_pct, 14),
        _number("organizations", "Active organizations that list it", lambda r: r.organizations),
        Column("gap", "Gap", 8, accessor=lambda r: "gap" if r.gap else ""),
    ),
)


def export_scorecard(card: Scorecard, *, title: str):
    rows = [*card.rows, card.total]
    return xlsx_response(
        SCORECARD_SPEC,
        rows,
        instructions=[
            f"PAL scorecard — {title}",
            "Coverage by language (its own sheet): the leads received per consumer's preferred "
            "language; routed to an organization that lists it; active (not suspended) "
            "organizations listing it. Gap = none of the language's leads reached an organization "
            'that lists it. "Other" names no language an organization can list: counted, never '
            "matched (empty cells).",
        ],
        more=[(LANGUAGES_SPEC, card.languages)],
    )
