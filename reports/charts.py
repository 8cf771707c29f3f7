"""Geometry for the server-rendered SVG charts on the performance page. The SVG is a Django
template (reports/charts/*.svg.html) around parts built here: each bar's shapes are written
once in Python, not through twenty-odd template variables each — a season's two charts were
4,300 of the page's 6,000 variables, the bulk of its rendering time. Labels are escaped as the
template escapes them; figures print as the page prints them (str: our settings use no thousand
separator; colours are this module's constants). tests/reports/test_charts.py checks the parts
come out as the plain template wrote them."""

from dataclasses import dataclass

from django.template.defaultfilters import truncatechars
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from referrals.states import Resolution

from .performance import Score

BAR_HEIGHT = 14
ROW_HEIGHT = 40
LABEL_WIDTH = 260
PLOT_WIDTH = 420
# Colour-blind-safe palette (Okabe–Ito, extended), one per resolution, grey for no answer yet.
RESOLUTION_COLOURS = dict(
    zip(
        Resolution.values,
        [
            "#0072B2",
            "#56B4E9",
            "#009E73",
            "#8FD175",
            "#CC79A7",
            "#E69F00",
            "#D55E00",
            "#F0E442",
            "#332288",
        ],
        strict=True,
    )
)
NOT_REPORTED_COLOUR = "#C8CDD3"


@dataclass
class Bar:
    label: str
    y: int
    contacted: float
    in_time: float

    @property
    def contacted_width(self) -> float:
        return PLOT_WIDTH * self.contacted / 100

    @property
    def in_time_width(self) -> float:
        return PLOT_WIDTH * self.in_time / 100

    @property
    def svg(self) -> SafeString:
        """The bar's <g>: its label and both bars, as the chart's template used to write it."""
        y, x, h, plot, value_x = (
            self.y,
            LABEL_WIDTH,
            BAR_HEIGHT,
            PLOT_WIDTH,
            LABEL_WIDTH + PLOT_WIDTH + 6,
        )
        return mark_safe(
            f'<g data-organization="{conditional_escape(self.label)}">\n'
            f'    <text x="{x - 8}" y="{y + 14}" text-anchor="end" class="chart-label">'
            f"{conditional_escape(truncatechars(self.label, 36))}</text>\n"
            f'    <rect x="{x}" y="{y}" width="{plot}" height="{h}" fill="#eef2f6"/>\n'
            f'    <rect x="{x}" y="{y}" width="{self.contacted_width:.1f}" height="{h}" '
            f'fill="#1F4E79"><title>{self.contacted}% contacted</title></rect>\n'
            f'    <text x="{value_x}" y="{y + 12}" class="chart-value">{self.contacted}%</text>\n'
            f'    <rect x="{x}" y="{y + 16}" width="{plot}" height="{h}" fill="#eef2f6"/>\n'
            f'    <rect x="{x}" y="{y + 16}" width="{self.in_time_width:.1f}" height="{h}" '
            f'fill="#009E73"><title>{self.in_time}% within 2 business days</title></rect>\n'
            f'    <text x="{value_x}" y="{y + 28}" class="chart-value">{self.in_time}%</text>\n'
            "  </g>"
        )


def contact_bars(rows: list[Score]) -> dict:
    """Two bars per organization: % contacted and % contacted within 2 business days."""
    bars = [
        Bar(row.name, 10 + index * ROW_HEIGHT, row.contacted_pct or 0, row.in_time_pct or 0)
        for index, row in enumerate(rows)
        if row.leads
    ]
    return {
        "bars": bars,
        "height": 30 + len(bars) * ROW_HEIGHT,
        "width": LABEL_WIDTH + PLOT_WIDTH + 70,
        "label_width": LABEL_WIDTH,
        "plot_width": PLOT_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


@dataclass
class Segment:
    label: str
    count: int
    x: float
    width: float
    colour: str


def stacked_bars(lines: list[tuple[str, list[tuple[str, int, str]]]], legend) -> dict:
    """One stacked bar per line, its parts' widths their shares of the line's total:
    lines = [(label, [(part label, count, colour), ...])]; empty lines are left out."""
    out = []
    for label, parts in lines:
        total = sum(count for _, count, _ in parts)
        if not total:
            continue
        x, segments = 0.0, []
        for part, count, colour in parts:
            if count:
                width = PLOT_WIDTH * count / total
                segments.append(Segment(part, count, LABEL_WIDTH + x, width, colour))
                x += width
        y = 10 + len(out) * 30
        out.append(
            {
                "label": label,
                "y": y,
                "segments": segments,
                # The text alternative's "part count, part count" and the bar's rects, built
                # once here (see the module's docstring).
                "parts": mark_safe(
                    ", ".join(f"{conditional_escape(s.label)} {s.count}" for s in segments)
                ),
                "rects": mark_safe(
                    "".join(
                        f'<rect x="{s.x:.1f}" y="{y}" width="{s.width:.1f}" height="18" '
                        f'fill="{s.colour}"><title>{conditional_escape(s.label)}: {s.count}'
                        "</title></rect>"
                        for s in segments
                    )
                ),
            }
        )
    return {
        "lines": out,
        "legend": legend,
        "height": 20 + len(out) * 30,
        "width": LABEL_WIDTH + PLOT_WIDTH + 20,
        "label_width": LABEL_WIDTH,
    }


def resolution_mix(rows: list[Score]) -> dict:
    """One stacked bar per organization: its leads by Resolution, then those not reported yet."""
    lines = []
    for row in rows:
        if not row.leads:
            continue
        parts = [
            (label, count, RESOLUTION_COLOURS[value]) for value, label, count in row.resolution_mix
        ]
        parts.append(("No outcome yet", row.not_reported, NOT_REPORTED_COLOUR))
        lines.append((row.name, parts))
    legend = [(label, RESOLUTION_COLOURS[value]) for value, label in Resolution.choices]
    legend.append(("No outcome yet", NOT_REPORTED_COLOUR))
    return stacked_bars(lines, legend)


# Okabe–Ito again: colour-blind-safe, and each part also named in the chart's text alternative.
AGE_COLOURS = ["#009E73", "#56B4E9", "#E69F00", "#D55E00", "#332288"]
VERDICT_COLOURS = {"true": "#0072B2", "false": "#E69F00"}


def age_mix(dashboard) -> dict:
    """MCO dashboard: one stacked bar per open state, its cases by age bucket."""
    labels = dashboard.age_labels
    lines = [
        (row.label, list(zip(labels, row.buckets, AGE_COLOURS, strict=True)))
        for row in dashboard.ages
    ]
    return stacked_bars(lines, list(zip(labels, AGE_COLOURS, strict=True)))


def verdict_mix(rows) -> dict:
    """MCO dashboard: one stacked bar per CSR or team, its QC verdicts true and false."""
    true, false = VERDICT_COLOURS["true"], VERDICT_COLOURS["false"]
    lines = [
        (row.name, [("Vetted true", row.true, true), ("Vetted false", row.false, false)])
        for row in rows
    ]
    return stacked_bars(lines, [("Vetted true", true), ("Vetted false", false)])
