"""The MCO dashboard as XLSX: one sheet per table of the page, the same figures
(reports.mco_dashboard), written by the sheet writer."""

from .exports import xlsx_response
from .mco_dashboard import AGE_BUCKETS, Dashboard, bucket_label
from .sheets import Column, Kind, SheetSpec


def _text(key, header, accessor, width=30):
    return Column(key, header, width, accessor=accessor)


def _number(key, header, accessor, width=12):
    return Column(key, header, width, kind=Kind.NUMBER, accessor=accessor)


def _bucket(index, first, last):
    return _number(f"age{index}", bucket_label(first, last), lambda r: r.buckets[index])


AGES_SPEC = SheetSpec(
    report_id="mco-dashboard",
    version=1,
    title="Cases by state and age",
    filename_stem="mco-dashboard",
    columns=(
        _text("state", "State", lambda r: r.label),
        *(_bucket(index, first, last) for index, (first, last) in enumerate(AGE_BUCKETS)),
        _number("total", "Open cases", lambda r: r.total),
    ),
)
FLOW_SPEC = SheetSpec(
    report_id="mco-dashboard-flow",
    version=1,
    title="Weekly inflow and outflow",
    columns=(
        Column("week", "Week of (Monday)", 14, kind=Kind.DATE, accessor=lambda r: r.week),
        _number("logged", "Cases logged", lambda r: r.logged),
        _number("closed", "Cases closed", lambda r: r.closed),
    ),
)
STAYS_SPEC = SheetSpec(
    report_id="mco-dashboard-stays",
    version=1,
    title="Time in each state",
    columns=(
        _text("state", "State", lambda r: r.label),
        _number("stays", "Stays ended", lambda r: r.stays),
        _number("median", "Median days", lambda r: r.median_days),
        _number("p90", "90th percentile days", lambda r: r.p90_days),
    ),
)


def _verdict_columns(first: Column) -> tuple[Column, ...]:
    return (
        first,
        _number("true", "Vetted true", lambda r: r.true),
        _number("false", "Vetted false", lambda r: r.false),
        _number("true_pct", "True rate %", lambda r: r.true_pct),
    )


CSR_SPEC = SheetSpec(
    report_id="mco-dashboard-csr",
    version=1,
    title="QC verdicts by CSR",
    columns=(
        *_verdict_columns(_text("csr", "CSR", lambda r: r.name)),
        _text("team", "Team", lambda r: r.team, 20),
    ),
)
TEAM_SPEC = SheetSpec(
    report_id="mco-dashboard-team",
    version=1,
    title="QC verdicts by team",
    columns=_verdict_columns(_text("team", "Team", lambda r: r.name)),
)
BOUNCE_SPEC = SheetSpec(
    report_id="mco-dashboard-bounce",
    version=1,
    title="State Monitor bounce rate",
    columns=(
        _text("team", "Team", lambda r: r.team),
        _number("processed", "Processed in MMIS", lambda r: r.processed),
        _number("returned", "Returned unprocessed", lambda r: r.returned),
        _number("bounce_pct", "Bounce rate %", lambda r: r.bounce_pct),
    ),
)
OUTREACH_SPEC = SheetSpec(
    report_id="mco-dashboard-outreach",
    version=1,
    title="Outreach outcomes",
    columns=(
        _text("attempts", "Attempts", lambda r: r.label),
        _number("made", "Made", lambda r: r.attempts),
        _number("reached", "Consumer reached", lambda r: r.reached),
        _number("not_reached", "Not reached", lambda r: r.not_reached),
        _number("reached_pct", "Reached %", lambda r: r.reached_pct),
    ),
)
DEADLINES_SPEC = SheetSpec(
    report_id="mco-dashboard-deadlines",
    version=1,
    title="Deadlines missed (now)",
    columns=(
        _text("deadline", "Deadline", lambda r: r.label, 50),
        _number("open", "Open cases", lambda r: r.open),
        _number("late", "Missed", lambda r: r.late),
        _number("late_pct", "Missed %", lambda r: r.late_pct),
    ),
)


def export_dashboard(board: Dashboard, *, title: str):
    return xlsx_response(
        AGES_SPEC,
        board.ages,
        instructions=[
            f"MCO tracker dashboard — {title}",
            "Cases by state and age and Deadlines missed are as of today; the other sheets "
            "cover the period. Ages are business days since the case was logged (weekends and "
            "US federal holidays excluded); time in a state is calendar days.",
        ],
        more=[
            (FLOW_SPEC, board.flow),
            (STAYS_SPEC, board.stays),
            (CSR_SPEC, board.verdicts_by_csr),
            (TEAM_SPEC, board.verdicts_by_team),
            (BOUNCE_SPEC, [*board.bounce_by_team, board.bounce]),
            (OUTREACH_SPEC, board.outreach),
            (DEADLINES_SPEC, board.deadlines),
        ],
    )
