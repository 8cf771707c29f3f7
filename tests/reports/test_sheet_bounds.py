"""The reader's bounds (issue 11): whatever a file holds, it is refused quickly and in plain
words, or read cell by cell into errors — never a crash."""

import io
from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from reports.sheets import Problems, SheetError, read_sheet
from reports.sheets.guard import CHUNK, SheetRejected, check_archive

from .zipparts import SPEC, data_sheet_part, saved, with_parts, written


def read(data: bytes, name: str = "sheet.xlsx"):
    return read_sheet(SPEC, SimpleUploadedFile(name, data), today=date(2026, 6, 1))


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


def with_rows(count: int) -> bytes:
    workbook = load_workbook(io.BytesIO(written()))
    sheet = workbook[SPEC.sheet_title]
    for n in range(count - 2):
        sheet.append([f"X{n}", "Y", date(2026, 1, 2)])
    return saved(workbook)


def test_it_reads_a_sheet_at_the_row_limit(settings):
    settings.SHEET_MAX_ROWS = 5
    result = read(with_rows(5))
    assert result.ok, messages(result)
    assert len(result.rows) == 5


def test_it_refuses_a_sheet_past_the_row_limit_before_reading_a_row(settings):
    settings.SHEET_MAX_ROWS = 5
    result = read(with_rows(6))
    assert messages(result) == [
        "The sheet has more than 5 rows; one upload may hold at most 5. Split it into smaller "
        "sheets and upload each. Nothing was changed."
    ]
    assert result.rows == []


def test_it_refuses_a_row_far_past_the_limit_even_when_the_rows_between_are_missing(settings):
    settings.SHEET_MAX_ROWS = 5
    workbook = load_workbook(io.BytesIO(written()))
    workbook[SPEC.sheet_title].cell(row=1_000_000, column=1, value="X")
    result = read(saved(workbook))
    assert "The sheet has more than 5 rows" in messages(result)[0]


def test_it_keeps_at_most_the_error_limit_and_counts_the_rest_by_column(settings):
    settings.SHEET_MAX_ERRORS = 3
    workbook = load_workbook(io.BytesIO(with_rows(6)))
    sheet = workbook[SPEC.sheet_title]
    for row in range(2, 8):
        sheet[f"B{row}"] = "maybe"
    sheet["D7"] = "too long"
    result = read(saved(workbook))
    assert len(result.errors) == 7
    assert result.errors.messages() == [
        "Row 2, “Contact Made”: must be Y or N, not “maybe”.",
        "Row 3, “Contact Made”: must be Y or N, not “maybe”.",
        "Row 4, “Contact Made”: must be Y or N, not “maybe”.",
        "…and 4 more problems (3 in “Contact Made”, 1 in “Reference”). Correct the ones above, "
        "upload again, and the rest will be shown.",
    ]


def test_it_keeps_a_long_cell_out_of_its_messages():
    problems = Problems()
    workbook = load_workbook(io.BytesIO(written()))
    workbook[SPEC.sheet_title]["B2"] = "N" * 5000
    problems.extend(read(saved(workbook)).errors)
    (message,) = problems.messages()
    assert len(message) < 200, message


GENERAL, AS_DATE = "General", "mm/dd/yyyy"


@pytest.mark.parametrize(
    "value, number_format, words",
    [
        (0, GENERAL, "“0” is a number, not a date; type the date as mm/dd/yyyy"),
        (0.5, GENERAL, "“0.5” is a number, not a date"),
        (-3, GENERAL, "“-3” is a number, not a date"),
        (10**20, GENERAL, "is a number, not a date"),
        (0, AS_DATE, "“00:00:00” is a time, not a date"),
        (0.5, AS_DATE, "“12:00:00” is a time, not a date"),
        (time(12, 30), "h:mm", "“12:30:00” is a time, not a date"),
        (True, GENERAL, "“True” is not a date"),
        ("next Tuesday", GENERAL, "“next Tuesday” is not a date; use mm/dd/yyyy"),
        ("31/31/2026", GENERAL, "“31/31/2026” is not a date"),
    ],
)
def test_it_names_row_and_column_of_a_date_cell_that_is_not_a_date(value, number_format, words):
    workbook = load_workbook(io.BytesIO(written()))
    cell = workbook[SPEC.sheet_title]["C3"]
    cell.value, cell.number_format = value, number_format
    result = read(saved(workbook))
    (message,) = messages(result)
    assert message.startswith("Row 3, “Contact Date”: "), message
    assert words in message


def test_it_reads_a_date_typed_as_excel_s_day_number():
    workbook = load_workbook(io.BytesIO(written()))
    workbook[SPEC.sheet_title]["C2"] = 46024  # 01/02/2026, a cell formatted General
    result = read(saved(workbook))
    assert result.ok, messages(result)
    assert result.rows[0].values["when"] == date(2026, 1, 2)


def test_it_refuses_text_longer_than_the_column_allows():
    workbook = load_workbook(io.BytesIO(written()))
    workbook[SPEC.sheet_title]["D2"] = "ABCDEF"
    assert messages(read(saved(workbook))) == [
        "Row 2, “Reference”: is 6 characters long; at most 5 are allowed."
    ]


def _replace_in_sheet(data: bytes, old: bytes, new: bytes) -> bytes:
    part = data_sheet_part(data)
    return with_parts(
        data, change=lambda name, content: content.replace(old, new) if name == part else content
    )


def test_it_refuses_a_cell_longer_than_excel_allows():
    # openpyxl itself cuts what it writes at Excel's limit: only a hand-made file goes past it.
    data = _replace_in_sheet(written(), b"<t>R1</t>", b"<t>" + b"x" * 40_000 + b"</t>")
    assert messages(read(data)) == [
        "Row 2, “ID”: holds more than the 32,767 characters Excel allows."
    ]


def test_it_refuses_a_part_with_a_run_of_text_no_cell_could_hold():
    data = written()
    part = data_sheet_part(data)
    huge = b"7" * (3 * CHUNK)
    bigger = with_parts(
        data,
        change=lambda name, content: (
            content.replace(b"<t>R1</t>", b"<t>" + huge + b"</t>") if name == part else content
        ),
    )
    assert "holds more text than Excel allows in a cell" in messages(read(bigger))[0]


def _macro_types(name, content):
    if name == "[Content_Types].xml":
        return content.replace(
            b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
        )
    return content


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda d: with_parts(d, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" * 100}), "a.xlsx"),
        (lambda d: with_parts(d, change=_macro_types), "a.xlsx"),
        (lambda d: d, "a.xlsm"),
        (lambda d: d, "A.XLSM"),
    ],
    ids=["vbaProject.bin", "macro-enabled content type", ".xlsm", ".XLSM"],
)
def test_it_refuses_macro_enabled_workbooks(make, name):
    assert "This workbook contains macros" in messages(read(make(written()), name))[0]


def test_it_refuses_workbooks_with_external_links():
    data = with_parts(written(), add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert "links to other workbooks" in messages(read(data))[0]


def test_it_refuses_added_columns():
    workbook = load_workbook(io.BytesIO(written()))
    workbook[SPEC.sheet_title]["E1"] = "My notes"
    assert "The columns of the sheet have been changed" in messages(read(saved(workbook)))[0]


def test_it_refuses_a_row_with_hundreds_of_cells_before_parsing_it():
    workbook = load_workbook(io.BytesIO(written()))
    sheet = workbook[SPEC.sheet_title]
    for column in range(5, 505):
        sheet.cell(row=2, column=column, value=column)
    assert "A row of the sheet has more than 12 cells" in messages(read(saved(workbook)))[0]


def test_it_counts_rows_split_across_chunks_once():
    # Rows padded so that tags straddle the scan's chunk boundaries.
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>'
        % (n, n, b"p" * (n % 97))
        for n in range(1, 40_001)
    )
    sheet = b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>"
    data = with_parts(written(), add={"xl/worksheets/sheet9.xml": sheet})
    check_archive(data, max_rows=39_999, max_columns=5)
    with pytest.raises(SheetRejected, match="more than 39,998 rows"):
        check_archive(data, max_rows=39_998, max_columns=5)


def test_problems_count_every_error_but_keep_only_the_limit():
    problems = Problems(limit=2)
    for row in range(2, 6):
        problems.append(SheetError("bad", row=row, column="A"))
    assert (len(problems), len(list(problems)), problems.rows) == (4, 2, {2, 3, 4, 5})
