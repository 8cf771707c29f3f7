"""Geometry for the server-rendered SVG charts on the performance page. The SVG itself is a
Django template (reports/charts/*.svg.html), so every label is escaped like any other text."""

from dataclasses import dataclass

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


def resolution_mix(rows: list[Score]) -> dict:
    """One stacked bar per organization: its leads by Resolution, then those not reported yet."""
    lines = []
    for index, row in enumerate(r for r in rows if r.leads):
        parts = [
            (label, count, RESOLUTION_COLOURS[value]) for value, label, count in row.resolution_mix
        ]
        parts.append(("No outcome yet", row.not_reported, NOT_REPORTED_COLOUR))
        x, segments = 0.0, []
        for label, count, colour in parts:
            if count:
                width = PLOT_WIDTH * count / row.leads
                segments.append(Segment(label, count, LABEL_WIDTH + x, width, colour))
                x += width
        lines.append({"label": row.name, "y": 10 + index * 30, "segments": segments})
    legend = [(label, RESOLUTION_COLOURS[value]) for value, label in Resolution.choices]
    legend.append(("No outcome yet", NOT_REPORTED_COLOUR))
    return {
        "lines": lines,
        "legend": legend,
        "height": 20 + len(lines) * 30,
        "width": LABEL_WIDTH + PLOT_WIDTH + 20,
        "label_width": LABEL_WIDTH,
    }
