"""python-calamine reads plain uploads, openpyxl the rest (docs/decisions/0009-sheet-reader.md):
whichever reads a file, the rows, values and problems are the same, and nothing calamine would
choke on reaches it."""

import io
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reports.sheets import books, read_sheet

from .test_sheet_properties import SMALL_TEMPLATE, _filled, formats
from .zipparts import SPEC, data_sheet_part, with_parts, written

pytestmark = pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")

# Every kind of value a person types, except two that openpyxl itself reads wrongly and calamine
# reads as Excel does (the decision note lists them): "_x0001_"-style escapes, which openpyxl's
# read-only mode leaves escaped, and whole numbers past 2**53, which Excel cannot hold exactly.
values = st.one_of(
    st.none(),
    st.text(max_size=50).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s).replace("_x", "_y")),
    st.sampled_from(["Y", "N", " y ", "No", "'=1+1", "", "  ", "11/24/2026", "PAL-1"]),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 0.5, -1, 1, 59, 60, 61, 2_958_465, 2_958_466, 1e20]),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10**4)),
)
cells = st.dictionaries(
    st.tuples(st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=6)),
    st.tuples(values, formats),
    max_size=10,
)


def _read(upload, which: str, monkeypatch):
    monkeypatch.setattr(books, "READER", which)
    upload.seek(0)
    result = read_sheet(SPEC, upload, today=date(2026, 11, 24))
    return (
        [(row.number, row.values, row.answered) for row in result.rows],
        [str(error) for error in result.errors],
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cells=cells)
def test_calamine_and_openpyxl_read_the_same(cells, monkeypatch):
    upload = _filled(SMALL_TEMPLATE, SPEC.sheet_title, cells)
    if upload is None:
        return
    assert _read(upload, "calamine", monkeypatch) == _read(upload, "openpyxl", monkeypatch)


def test_a_formula_or_an_error_cell_is_read_as_it_always_was(monkeypatch):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(written()))
    sheet = workbook[SPEC.sheet_title]
    sheet["B2"] = "=1+1"
    sheet["D3"] = "#N/A"  # an error cell
    out = io.BytesIO()
    workbook.save(out)
    rows, errors = _read(out, "calamine", monkeypatch)
    assert "Row 2, “Contact Made”: contains a formula; type the value itself." in errors
    assert rows[1][1]["ref"] == "#N/A"


def _far(reference: bytes):
    data = written()
    part = data_sheet_part(data)

    def change(name, content):
        if name != part:
            return content
        cell = b'<c r="' + reference + b'" t="inlineStr"><is><t>x</t></is></c>'
        return content.replace(b"</row></sheetData>", cell + b"</row></sheetData>")

    return io.BytesIO(with_parts(data, change=change))


@pytest.mark.parametrize(
    "reference, message",
    [
        (b"XFD3", "A cell of the sheet lies past column 12"),
        (b"&#88;FD3", "A cell of the sheet lies past column 12"),  # an entity hides nothing
        (b"B1048576", "The sheet has more than"),
    ],
)
def test_a_far_away_cell_is_refused_before_any_reader_opens_the_file(
    reference, message, monkeypatch
):
    opened = []
    monkeypatch.setattr(books, "open_calamine", lambda *args: opened.append(1))
    result = read_sheet(SPEC, _far(reference))
    assert [message in str(error) for error in result.errors] == [True]
    assert opened == []
