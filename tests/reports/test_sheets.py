"""The sheet machinery itself: what the writer puts in the file, and that it streams."""

import io
import tempfile
import tracemalloc
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reports.sheets import Column, Kind, SheetSpec, read_sheet, write_sheet
from reports.sheets.writer import ABOUT_SHEET, LISTS_SHEET

SPEC = SheetSpec(
    report_id="test-sheet",
    version=3,
    title="Test sheet",
    key="id",
    columns=(
        Column("id", "ID", accessor=lambda o: o.id),
        Column("name", "Name", accessor=lambda o: o.name),
        Column("on", "Sent on", kind=Kind.DATE, accessor=lambda o: o.on),
        Column("made", "Contact Made", kind=Kind.YES_NO, editable=True, required=True),
        Column("when", "Contact Date", kind=Kind.DATE, editable=True, not_future=True),
        Column(
            "resolution",
            "Resolution",
            kind=Kind.LIST,
            editable=True,
            choices=tuple(f"Choice number {n} with a long label" for n in range(12)),
        ),
    ),
)


def rows(n):
    for i in range(n):
        yield SimpleNamespace(id=f"R{i}", name=f"Person {i}", on=date(2026, 1, 1))


def written(spec, objects, **kwargs):
    out = io.BytesIO()
    write_sheet(spec, objects, out, **kwargs)
    out.seek(0)
    return out


def test_it_writes_text_that_looks_like_a_formula_as_text():
    evil = ['=HYPERLINK("http://x.example","click")', "+1+2", "-3", "@SUM(A1)", "\tx", "\rx"]
    objects = [SimpleNamespace(id=f"R{i}", name=text, on=None) for i, text in enumerate(evil)]
    workbook = load_workbook(written(SPEC, objects))
    sheet = workbook["Test sheet"]
    for row, text in enumerate(evil, start=2):
        cell = sheet[f"B{row}"]
        assert cell.data_type == "s"
        # (XML turns a leading CR into LF; either way the apostrophe comes first.)
        assert cell.value[0] == "'" and cell.value[2:] == text[1:]


def test_it_reads_neutralised_text_back_as_typed():
    objects = [SimpleNamespace(id="=R1", name="=Lopez", on=None)]
    workbook = load_workbook(written(SPEC, objects))
    workbook["Test sheet"]["D2"] = "Y"
    out = io.BytesIO()
    workbook.save(out)
    result = read_sheet(SPEC, out)
    assert result.ok, result.errors
    assert result.rows[0].values["name"] == "=Lopez"


def test_it_lays_out_the_sheet_for_people_and_for_the_reader():
    workbook = load_workbook(written(SPEC, rows(3), instructions=["Due 11/29/2026"]))
    sheet = workbook["Test sheet"]
    assert workbook.sheetnames[0] == "Test sheet"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == SPEC.headers
    assert isinstance(sheet["C2"].value, datetime) and sheet["C2"].number_format == "mm/dd/yyyy"
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    assert workbook[ABOUT_SHEET].sheet_state == "veryHidden"
    assert [c.value for c in workbook[ABOUT_SHEET]["A1:B2"][1]] == ["version", 3]
    assert workbook["Instructions"]["A1"].value == "Due 11/29/2026"
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert validations["D2:D4"].type == "list"
    assert validations["D2:D4"].formula1 == "'Lists'!$A$1:$A$2"
    # 12 long choices are far beyond Excel's 255-character inline list: they come from the sheet.
    assert validations["F2:F4"].formula1 == "'Lists'!$B$1:$B$12"
    assert validations["E2:E4"].type == "date" and validations["E2:E4"].formula2 == "TODAY()"
    assert [workbook[LISTS_SHEET][f"A{n}"].value for n in (1, 2)] == ["Y", "N"]


FURTHER_SPEC = SheetSpec(
    report_id="test-further",
    version=1,
    title="Further sheet",
    columns=(
        Column("name", "Name", accessor=lambda o: o.name),
        Column("count", "Count", kind=Kind.NUMBER, accessor=lambda o: o.count),
    ),
)


def test_it_writes_further_sheets_after_the_first_which_the_reader_still_checks():
    further = [SimpleNamespace(name="Somali", count=3), SimpleNamespace(name="=Karen", count=0)]
    out = written(SPEC, rows(2), more=[(FURTHER_SPEC, further)])
    workbook = load_workbook(out)
    assert workbook.sheetnames[:2] == ["Test sheet", "Further sheet"]
    sheet = workbook["Further sheet"]
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows.replace("$", "") == "1:1"
    assert [tuple(row) for row in sheet.iter_rows(values_only=True)] == [
        ("Name", "Count"),
        ("Somali", 3),
        ("'=Karen", 0),  # neutralised like the first sheet's text
    ]
    workbook["Test sheet"]["D2"] = "Y"
    saved = io.BytesIO()
    workbook.save(saved)
    assert read_sheet(SPEC, saved).ok


def test_a_further_sheet_is_read_only():
    editable = SheetSpec(
        report_id="test-editable",
        version=1,
        title="Editable",
        columns=(Column("made", "Contact Made", kind=Kind.YES_NO, editable=True),),
    )
    with pytest.raises(ValueError, match="read-only"):
        written(SPEC, rows(1), more=[(editable, [])])


def test_it_reports_errors_by_row_and_column():
    workbook = load_workbook(written(SPEC, rows(3)))
    sheet = workbook["Test sheet"]
    sheet["D2"], sheet["E2"], sheet["F2"] = (
        "Y",
        date(2026, 1, 2),
        "choice number 3 with a long label",
    )
    sheet["D3"], sheet["F3"] = "perhaps", "Not a choice"
    sheet["E4"] = "31/31/2026"
    out = io.BytesIO()
    workbook.save(out)
    result = read_sheet(SPEC, out, today=date(2026, 6, 1))
    assert [str(e) for e in result.errors] == [
        "Row 3, “Contact Made”: must be Y or N, not “perhaps”.",
        "Row 3, “Resolution”: “Not a choice” is not one of the choices in the list.",
        "Row 4, “Contact Made”: is required.",
        "Row 4, “Contact Date”: “31/31/2026” is not a date; use mm/dd/yyyy, e.g. 11/24/2026.",
    ]
    assert result.rows[0].values["resolution"] == "Choice number 3 with a long label"


# Narrow on purpose: tracemalloc slows allocation-heavy code several times over, and the point
# is how memory grows with rows, not columns. One text, one typed date, one editable dropdown.
STREAM_SPEC = SheetSpec(
    report_id="stream-test",
    version=1,
    title="Stream test",
    columns=(
        Column("id", "ID", accessor=lambda o: o[0]),
        Column("on", "Sent on", kind=Kind.DATE, accessor=lambda o: o[1]),
        Column("made", "Contact Made", kind=Kind.YES_NO, editable=True),
    ),
)


def _peak_bytes(n):
    day = date(2026, 1, 1)
    with tempfile.TemporaryFile() as out:
        tracemalloc.start()
        write_sheet(STREAM_SPEC, ((f"Person {i}", day) for i in range(n)), out)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_it_streams_rows_with_flat_memory():
    small = _peak_bytes(5_000)
    large = _peak_bytes(50_000)
    # Ten times the rows must not take anywhere near ten times the memory.
    assert large < small * 2, (small, large)


def test_it_leaves_no_temporary_files_behind_when_a_row_fails(tmp_path, monkeypatch):
    # The writer's temporary files hold the rows written so far (full SSNs in a hand-off).
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def failing_rows():
        yield ("Person 1", date(2026, 1, 1))
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_sheet(STREAM_SPEC, failing_rows(), io.BytesIO())
    assert list(tmp_path.iterdir()) == []


def test_every_kind_of_cell_reads_back_as_written():
    """The data rows are written as XML by our code (writer._RowXml), not XlsxWriter's API:
    what a spreadsheet program reads must be what was written, escapes included."""
    from enum import StrEnum
    from zoneinfo import ZoneInfo

    class Colour(StrEnum):
        RED = "red"

    spec = SheetSpec(
        report_id="cells",
        version=1,
        title="Cells",
        columns=(
            Column("value", "Value", accessor=lambda row: row[0]),
            Column("day", "Day", kind=Kind.DATE, accessor=lambda row: row[1]),
        ),
    )
    values = [
        "plain",
        "  spaces kept  ",
        "a & <b> > c",
        "control\x01character",
        "_x0041_ stays as typed",
        "=SUM(A1:A2)",
        "line\r\nbreak",
        "é ü 漢字 😀",
        7,
        2.5,
        True,
        Colour.RED,
        "x" * 40_000,
    ]
    moment = datetime(2026, 3, 4, 15, 30, tzinfo=ZoneInfo("UTC"))
    rows = [(value, date(2026, 1, 2) if i % 2 else None) for i, value in enumerate(values)]
    rows.append((moment, None))
    out = io.BytesIO()

    assert write_sheet(spec, rows, out) == len(rows)

    sheet = load_workbook(io.BytesIO(out.getvalue()))["Cells"]
    read = [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=2)]
    expected = [
        "plain",
        "  spaces kept  ",
        "a & <b> > c",
        # Excel decodes these escapes, openpyxl does not: exactly what XlsxWriter's own
        # write_string gives openpyxl for the same text.
        "control_x0001_character",
        "_x005F_x0041_ stays as typed",
        "'=SUM(A1:A2)",
        "line\nbreak",
        "é ü 漢字 😀",
        7,
        2.5,
        True,
        "red",
        "x" * 32_767,
    ]
    assert [value for value, _ in read[:-1]] == expected
    assert [day for _, day in read[:-1]] == [
        datetime(2026, 1, 2) if i % 2 else None for i in range(len(values))
    ]
    # Written as the deployment's local wall-clock time (TIME_ZONE), without the zone.
    assert read[-1][0] == timezone.localtime(moment).replace(tzinfo=None)
    assert sheet.max_row == len(rows) + 1 and sheet.freeze_panes == "A2"


@pytest.mark.parametrize(
    "spec_path",
    [
        "reports.assister_report.PAR_SPEC",
        "reports.qc_report.QC_REPORT_SPEC",
        "reports.handoff.HANDOFF_SPEC",
        "reports.scorecard_export.SCORECARD_SPEC",
        "reports.scorecard_export.LANGUAGES_SPEC",
        "reports.access_log.ACCESS_LOG_SPEC",
    ],
)
def test_every_sheet_prints_landscape_one_page_wide_with_the_header_on_each_page(spec_path):
    """Issue 17: printed for files, the Preferred Assister Report showed 4 of 13 columns."""
    from django.utils.module_loading import import_string

    out = io.BytesIO()
    write_sheet(import_string(spec_path), [], out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    # One page wide (1 is the format's default, which XlsxWriter leaves out), any height.
    assert sheet.page_setup.fitToWidth in (None, 1, "1") and int(sheet.page_setup.fitToHeight) == 0
    assert sheet.print_title_rows.replace("$", "") == "1:1"
