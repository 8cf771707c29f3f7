"""The charts' SVG, written in Python (reports.charts), against the plain template that wrote
every figure through its own template variable before: the same bytes, labels escaped and
truncated the same, figures printed as the page prints them."""

import pytest
from django.template import Context, Template

from reports import charts
from reports.performance import RESOLUTIONS, Score

# The charts' markup as it was, one template variable per figure: the reference.
CONTACT_BARS = """{% for bar in chart.bars %}
  <g data-organization="{{ bar.label }}">
    <text x="{{ chart.label_width|add:'-8' }}" y="{{ bar.y|add:14 }}" text-anchor="end" class="chart-label">{{ bar.label|truncatechars:36 }}</text>
    <rect x="{{ chart.label_width }}" y="{{ bar.y }}" width="{{ chart.plot_width }}" height="{{ chart.bar_height }}" fill="#eef2f6"/>
    <rect x="{{ chart.label_width }}" y="{{ bar.y }}" width="{{ bar.contacted_width|stringformat:'.1f' }}" height="{{ chart.bar_height }}" fill="#1F4E79"><title>{{ bar.contacted }}% contacted</title></rect>
    <text x="{{ chart.label_width|add:chart.plot_width|add:6 }}" y="{{ bar.y|add:12 }}" class="chart-value">{{ bar.contacted }}%</text>
    <rect x="{{ chart.label_width }}" y="{{ bar.y|add:16 }}" width="{{ chart.plot_width }}" height="{{ chart.bar_height }}" fill="#eef2f6"/>
    <rect x="{{ chart.label_width }}" y="{{ bar.y|add:16 }}" width="{{ bar.in_time_width|stringformat:'.1f' }}" height="{{ chart.bar_height }}" fill="#009E73"><title>{{ bar.in_time }}% within 2 business days</title></rect>
    <text x="{{ chart.label_width|add:chart.plot_width|add:6 }}" y="{{ bar.y|add:28 }}" class="chart-value">{{ bar.in_time }}%</text>
  </g>
  {% endfor %}"""  # noqa: E501
CONTACT_BARS_NOW = "{% for bar in chart.bars %}\n  {{ bar.svg }}\n  {% endfor %}"
STACKED_DESC = "{% for line in chart.lines %}{{ line.label }}: {% for s in line.segments %}{{ s.label }} {{ s.count }}{% if not forloop.last %}, {% endif %}{% endfor %}. {% endfor %}"  # noqa: E501
STACKED_DESC_NOW = "{% for line in chart.lines %}{{ line.label }}: {{ line.parts }}. {% endfor %}"
STACKED_RECTS = """{% for line in chart.lines %}{% for s in line.segments %}<rect x="{{ s.x|stringformat:'.1f' }}" y="{{ line.y }}" width="{{ s.width|stringformat:'.1f' }}" height="18" fill="{{ s.colour }}"><title>{{ s.label }}: {{ s.count }}</title></rect>{% endfor %}|{% endfor %}"""  # noqa: E501
STACKED_RECTS_NOW = "{% for line in chart.lines %}{{ line.rects }}|{% endfor %}"

NAMES = [
    'Lakes & Pines <script>alert("x")</script> Community Action Partnership',
    'North "Country" Navigators',
    "Metro Brokers",
    "Quiet One",  # no leads: left out of both charts
    "A name of exactly thirty-six letters",
]


def _rows():
    rows = []
    for index, name in enumerate(NAMES):
        leads = 0 if name == "Quiet One" else 12_345 * (index + 1) + index
        row = Score(name=name, leads=leads)
        row.contacted = leads * 2 // 3
        row.contacted_in_time = leads // (index + 3)
        for n, value in enumerate(RESOLUTIONS):
            # Zeros (left out of the bars), ones, thousands.
            row.resolutions[value] = 0 if (n + index) % 4 == 0 else (leads // 9 if n % 2 else 1)
        row.not_reported = leads - sum(row.resolutions.values())
        rows.append(row)
    rows.append(Score(name="Nothing contacted", leads=7))  # 0 (an int) where a % would be;
    # its resolutions and not_reported left at 0, so no stacked bar
    return rows


def _render(source, chart):
    return Template(source).render(Context({"chart": chart}))


def test_it_writes_the_contact_bars_as_the_template_did():
    chart = charts.contact_bars(_rows())
    assert len(chart["bars"]) == 5  # all but Quiet One

    assert _render(CONTACT_BARS_NOW, chart) == _render(CONTACT_BARS, chart)


@pytest.mark.parametrize(
    ("reference", "now"), [(STACKED_DESC, STACKED_DESC_NOW), (STACKED_RECTS, STACKED_RECTS_NOW)]
)
def test_it_writes_the_stacked_bars_as_the_template_did(reference, now):
    chart = charts.resolution_mix(_rows())
    assert len(chart["lines"]) == 4  # nor Nothing contacted: no outcome counted
    assert _render(now, chart) == _render(reference, chart)


def test_it_writes_any_stacked_bars_as_the_template_did():
    # Parts named by the caller (the MCO dashboard's), markup and all.
    lines = [
        ("Open <b>", [("Under 5 & up", 1_234, "#009E73"), ('"Old"', 0, "#D55E00")]),
        ("Empty", [("Under 5 & up", 0, "#009E73")]),
        ("Closed", [("<i>Old</i>", 3, "#D55E00"), ("Under 5 & up", 98_765, "#009E73")]),
    ]
    chart = charts.stacked_bars(lines, [])
    for reference, now in [(STACKED_DESC, STACKED_DESC_NOW), (STACKED_RECTS, STACKED_RECTS_NOW)]:
        assert _render(now, chart) == _render(reference, chart)
    assert "<i>" not in _render(STACKED_RECTS_NOW + STACKED_DESC_NOW, chart)


def test_it_escapes_the_labels_it_writes():
    page = _render(CONTACT_BARS_NOW, charts.contact_bars(_rows()))
    page += _render(STACKED_RECTS_NOW + STACKED_DESC_NOW, charts.resolution_mix(_rows()))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&quot;Country&quot;" in page
