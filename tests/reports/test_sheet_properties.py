"""Property-based: whatever value of whatever type is typed into any cell of a real XLSX, reading
it gives a list of problems or a plan — never an exception (issue 11 hunts the next 500)."""

import io
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cases.models import Case
from reports.handoff import HANDOFF_SPEC, handoff_rows
from reports.handoff_import import check_handoff
from reports.sheets import read_sheet, write_sheet
from reports.sheets.writer import ABOUT_SHEET

from .zipparts import SPEC

# openpyxl warns when a date-formatted cell holds a number no date has; the reader refuses it.
pytestmark = pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")

EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# openpyxl refuses raw control characters; Excel stores them as _xHHHH_ escapes, which the
# reader turns back into the characters, so those reach the reader too.
text = st.text(max_size=300).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
escaped_controls = st.lists(
    st.integers(min_value=0, max_value=0x1F).map(lambda n: f"_x{n:04X}_"), max_size=5
).map("".join)
formulas = text.map(lambda s: "=" + s)
plausible = st.sampled_from(
    ["Y", "N", "y", "yes", " N ", "MCO-1", "MCO-000001", "PAL-000001", "'=1+1", "", " ", "#N/A"]
)
# Numbers at the edges of Excel's day numbers: times of day, day 0, the last day, past it.
edge_numbers = st.sampled_from(
    [0, 0.5, 0.999, -1, 1, 60, 61, 2_958_465, 2_958_466, 1e20, -1e20, 10**19, float("nan")]
)
values = st.one_of(
    st.none(),
    edge_numbers,
    text,
    escaped_controls,
    formulas,
    plausible,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.times(),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10**5)),
)
formats = st.sampled_from(["General", "mm/dd/yyyy", "h:mm", "0.00", "@", "[h]:mm:ss"])


def _cells(width: int):
    return st.dictionaries(
        st.tuples(st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=width)),
        st.tuples(values, formats),
        max_size=12,
    )


def _filled(template: bytes, sheet_title: str, cells, about=None) -> io.BytesIO | None:
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[sheet_title]
    for (row, column), (value, number_format) in cells.items():
        cell = sheet.cell(row=row, column=column)
        try:
            cell.value = value
        except (ValueError, TypeError):  # a value openpyxl itself will not write
            continue
        cell.number_format = number_format
    if about is not None:
        workbook[ABOUT_SHEET]["B2"] = about
    out = io.BytesIO()
    try:
        workbook.save(out)
    except (ValueError, TypeError, OverflowError):
        return None
    out.seek(0)
    return out


def _template(spec, rows) -> bytes:
    out = io.BytesIO()
    write_sheet(spec, rows, out)
    return out.getvalue()


SMALL_TEMPLATE = _template(SPEC, ["R1", "R2", "R3"])


@EXAMPLES
@given(cells=_cells(len(SPEC.columns) + 2), about=st.one_of(st.none(), values))
def test_any_cell_reads_as_problems_or_rows(cells, about):
    upload = _filled(SMALL_TEMPLATE, SPEC.sheet_title, cells, about)
    if upload is None:
        return
    result = read_sheet(SPEC, upload)
    assert result.rows or result.errors
    # Every problem is stated, and short whatever the cell held.
    assert all(0 < len(str(error)) < 1000 for error in result.errors)


@pytest.fixture
def handoff_template(true_case):
    case = true_case()
    return _template(HANDOFF_SPEC, handoff_rows(Case.objects.filter(pk=case.pk)))


@EXAMPLES
@given(cells=_cells(len(HANDOFF_SPEC.columns)))
def test_any_cell_of_the_handoff_gives_problems_or_a_plan(monitor, handoff_template, cells):
    upload = _filled(handoff_template, HANDOFF_SPEC.sheet_title, cells)
    if upload is None:
        return
    plan = check_handoff(upload, by=monitor)
    assert plan.rows or plan.errors
    assert all(0 < len(str(error)) < 1000 for error in plan.errors)
