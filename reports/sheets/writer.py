"""Write a SheetSpec's rows as XLSX with XlsxWriter in constant-memory mode (streaming).

Rows are pulled from any iterable one at a time and each is written straight to a temporary
file as XML, so memory stays flat however many rows there are (exports have no row cap,
DESIGN.md). XlsxWriter was chosen over openpyxl's write-only mode by benchmark: about twice the
rows a second with every sheet feature kept (docs/decisions/0008-sheet-writer.md).

Constant-memory mode writes a row once and never goes back, so everything about the data
sheet that is not a cell (widths, freeze, validations) is declared on the sheet object, which
XlsxWriter writes when the workbook closes.
"""

import re
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import xlsxwriter
from django.utils import timezone
from xlsxwriter.utility import (
    _datetime_to_excel_datetime,
    _preserve_whitespace,
    _utf16_len,
    _utf16_truncate,
    xl_col_to_name,
)
from xlsxwriter.xmlwriter import XMLwriter

from .spec import Column, Kind, SheetSpec

LISTS_SHEET = "Lists"
ABOUT_SHEET = "About"
INSTRUCTIONS_SHEET = "Instructions"
DATE_FORMAT = "mm/dd/yyyy"
# Timestamps as the app shows them ("Nov 24, 2026, 4:08 PM"; tracker/formats), in the
# deployment's TIME_ZONE (a spreadsheet cell holds no zone; the README names it).
DATETIME_FORMAT = "mmm d, yyyy, h:mm AM/PM"
YES_NO = ("Y", "N")
# A cell starting with one of these may be run as a formula by a spreadsheet program (OWASP
# "CSV injection"); such text is written with a leading apostrophe, which the reader removes.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_MAX = 32_767  # UTF-16 units
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")

_WORKBOOK_OPTIONS = {
    # Each row goes to a temporary file as it is written; nothing is kept per cell.
    "constant_memory": True,
    # Text is only ever text: never parsed as a formula, number or link, whatever it holds.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
_HEADER = {"bold": True, "font_color": "#FFFFFF", "text_wrap": True, "valign": "top"}


def neutralise(text: str) -> str:
    """Text that a spreadsheet would take for a formula, made inert."""
    if text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def write_sheet(
    spec: SheetSpec,
    rows: Iterable,
    out,
    *,
    instructions: Sequence[str] = (),
    about: dict[str, str | int] | None = None,
    more: Sequence[tuple[SheetSpec, Iterable]] = (),
) -> int:
    """Write `rows` (objects the columns' accessors understand) to the binary file `out`.

    `about` adds name/value pairs to the hidden About sheet (e.g. which organization's report
    this is), read back by `read_sheet` into `SheetResult.about`. `more` adds read-only data
    sheets after the first, each (spec, rows), for a report with a second table (the
    scorecard's languages); only the first spec is the one `read_sheet` checks. Returns the
    number of rows of the first sheet.
    """
    for extra, _ in more:
        if any(column.editable for column in extra.columns):
            raise ValueError(f"{extra.report_id}: a further sheet is read-only")
    # XlsxWriter keeps each sheet's rows in temporary files until close(); a directory of our
    # own removes them (they hold the hand-off's full SSNs) even if a row raises midway.
    with tempfile.TemporaryDirectory(prefix="sheet-") as tmpdir:
        return _write(spec, rows, out, tmpdir, instructions, about or {}, more)


def _print_setup(sheet) -> None:
    """People print these sheets for their files (issue 17): landscape, every column on one page
    width (as many pages down as the rows need), the header row repeated on each page."""
    sheet.set_landscape()
    sheet.set_paper(1)  # US Letter
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)


def _data_sheet(workbook, spec, rows, formats):
    """A sheet of the spec's header and rows; (sheet, number of rows)."""
    sheet = workbook.add_worksheet(spec.sheet_title)
    sheet.freeze_panes(1, 0)
    _print_setup(sheet)
    for index, column in enumerate(spec.columns):
        column_format = formats["date"] if column.kind == Kind.DATE else None
        sheet.set_column(index, index, column.width, column_format, {"hidden": column.hidden})
        header_format = formats["editable_header" if column.editable else "header"]
        sheet.write_string(0, index, neutralise(column.header), header_format)
    return sheet, _RowXml(sheet, spec.columns, formats).write(rows)


def _write(spec, rows, out, tmpdir, instructions, about, more=()) -> int:
    workbook = xlsxwriter.Workbook(out, {**_WORKBOOK_OPTIONS, "tmpdir": tmpdir})
    formats = {
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "datetime": workbook.add_format({"num_format": DATETIME_FORMAT}),
        "header": workbook.add_format({**_HEADER, "bg_color": "#1F4E79"}),
        "editable_header": workbook.add_format({**_HEADER, "bg_color": "#7A5C00"}),
        "wrap": workbook.add_format({"text_wrap": True}),
    }
    sheet, count = _data_sheet(workbook, spec, rows, formats)
    for extra_spec, extra_rows in more:
        _data_sheet(workbook, extra_spec, extra_rows, formats)

    # Sheets are added after the data sheet so it stays first (the one Excel opens on).
    list_ranges = _write_lists(workbook, spec)
    _add_validations(sheet, spec, count, list_ranges)
    if instructions:
        _write_instructions(workbook, instructions, formats["wrap"])
    _write_about(workbook, spec, about, formats["datetime"])
    workbook.close()
    return count


class _RowXml:
    """The data rows as XML, written straight into the sheet's constant-memory row file.

    XlsxWriter's public `write_*` calls cost about 5 µs a cell (argument checks, a cell tuple,
    an attribute list, then the XML), which capped a 20-column export near 5,000 rows per CPU
    second (issue 12 wants 8,000 end to end). Here each cell is one f-string of exactly the XML
    XlsxWriter writes in constant-memory mode (inline strings, the same escapes and style ids),
    and the sheet is then told how far its rows go. Everything that is not a data cell (header,
    widths, freeze, validations, other sheets) still goes through XlsxWriter's API.

    Relies on three documented-in-source details of XlsxWriter 3.x constant-memory mode:
    `_write_single_row` flushes the pending row, `fh` is the row file until close, and
    `dim_rowmax` / `previous_row` bound what close() writes (tests read every file back).
    """

    def __init__(self, sheet, columns: Sequence[Column], formats):
        self.sheet = sheet
        self.cells = [
            _cell_function(xl_col_to_name(index), column, formats)
            for index, column in enumerate(columns)
        ]

    def write(self, rows: Iterable) -> int:
        sheet = self.sheet
        sheet._write_single_row(1)  # the header row (row 0) goes out first
        write, cells = sheet.fh.write, self.cells
        count = 0
        for count, obj in enumerate(rows, start=1):
            r = str(count + 1)  # Excel's 1-based row number
            write(f'<row r="{r}">{"".join([cell(r, obj) for cell in cells])}</row>')
        if count:
            sheet.dim_rowmax = max(sheet.dim_rowmax or 0, count)
            sheet.previous_row = count + 1
        return count


def _cell_function(letter: str, column: Column, formats):
    """This column's cell of a row as XML: chosen once per column."""
    value_for = column.value_for
    date_xf = formats["date"]._get_xf_index()
    datetime_xf = formats["datetime"]._get_xf_index()
    # An empty date cell still carries the date format, so a date typed into it in Excel (or a
    # number set by another program) reads back as a date.
    is_date = column.kind == Kind.DATE
    blank = f'" s="{date_xf}"/>' if is_date else None
    # Other values in a date column carry its format too (XlsxWriter's column-format rule).
    style = f' s="{date_xf}"' if is_date else ""
    serials: dict = {}  # Excel serial of each distinct date: most exports repeat a few days

    def cell(r: str, obj) -> str:
        value = value_for(obj)
        kind = type(value)
        if kind not in _EXACT_TYPES:  # subclasses (enums ...) and others: their plain value
            value = _plain(value)
            kind = type(value)
        if value is None or value == "":
            # Otherwise nothing: constant-memory mode leaves the cell out.
            return f'<c r="{letter}{r}{blank}' if blank else ""
        if kind is str:
            return f'<c r="{letter}{r}"{style} t="inlineStr"><is>{_inline_text(value)}</is></c>'
        if kind is bool:
            return f'<c r="{letter}{r}"{style} t="b"><v>{int(value)}</v></c>'
        if kind is int or kind is float:
            return f'<c r="{letter}{r}"{style}><v>{value:.16G}</v></c>'
        if kind is date:
            serial = serials.get(value)
            if serial is None:
                serial = serials[value] = _datetime_to_excel_datetime(value, False, False)
            return f'<c r="{letter}{r}" s="{date_xf}"><v>{serial:.16G}</v></c>'
        if kind is datetime:
            # Excel has no time zones: show the local wall-clock time.
            if value.tzinfo:
                value = timezone.localtime(value).replace(tzinfo=None)
            serial = _datetime_to_excel_datetime(value, False, False)
            return f'<c r="{letter}{r}" s="{datetime_xf}"><v>{serial:.16G}</v></c>'
        raise AssertionError(kind)  # _plain returns one of _EXACT_TYPES

    return cell


_EXACT_TYPES = frozenset({str, int, float, bool, date, datetime, type(None)})


def _plain(value):
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, datetime):
        return datetime.fromtimestamp(value.timestamp(), value.tzinfo)
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    return str(value)


def _inline_text(value: str) -> str:
    """<t> of an inline string, as XlsxWriter writes it: formula triggers neutralised, at most
    Excel's 32,767 UTF-16 units, control characters as _xHHHH_, XML escaped, and leading or
    trailing spaces kept."""
    text = _cell_text(value)
    if len(text) > EXCEL_CELL_MAX // 2 and _utf16_len(text) > EXCEL_CELL_MAX:
        text = _utf16_truncate(text, EXCEL_CELL_MAX)
    if "_x" in text or _CONTROL.search(text):
        text = XMLwriter._escape_control_characters(text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _preserve_whitespace(text):
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def _cell_text(text: str) -> str:
    # A bare CR would be stored as the escape "_x000D_", which only Excel decodes; openpyxl
    # (and so our reader) would see the escape. XML readers turn CR into LF anyway.
    text = neutralise(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _choices(column: Column) -> tuple[str, ...]:
    if column.kind == Kind.YES_NO:
        return YES_NO
    if column.kind == Kind.LIST:
        return column.choices
    return ()


def _write_lists(workbook, spec: SheetSpec) -> dict[str, str]:
    """Dropdown values go in a hidden sheet: inline lists are capped at 255 characters."""
    lists = [(c.key, _choices(c)) for c in spec.columns if c.editable and _choices(c)]
    if not lists:
        return {}
    sheet = workbook.add_worksheet(LISTS_SHEET)
    sheet.hide()
    longest = max(len(values) for _, values in lists)
    for row in range(longest):
        for index, (_, values) in enumerate(lists):
            if row < len(values):
                sheet.write_string(row, index, neutralise(values[row]))
    ranges = {}
    for index, (key, values) in enumerate(lists):
        letter = xl_col_to_name(index)
        ranges[key] = f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(values)}"
    return ranges


def _add_validations(sheet, spec: SheetSpec, count: int, list_ranges: dict[str, str]) -> None:
    if count == 0:
        return
    for index, column in enumerate(spec.columns):
        if not column.editable:
            continue
        options = _validation_for(column, list_ranges)
        if options is not None:
            sheet.data_validation(1, index, count, index, options)


def _validation_for(column: Column, list_ranges: dict[str, str]) -> dict | None:
    common = {
        # Rows may be left empty for later; the reader enforces `required` on answered rows.
        "ignore_blank": True,
        "show_error": True,
        "error_title": column.header[:32],
    }
    if column.help:
        common |= {
            "show_input": True,
            "input_title": column.header[:32],
            "input_message": column.help[:255],
        }
    else:
        common["show_input"] = False
    if column.key in list_ranges:
        return {
            "validate": "list",
            "source": "=" + list_ranges[column.key],
            "error_message": "Pick a value from the list.",
            **common,
        }
    if column.kind == Kind.DATE:
        latest = "=TODAY()" if column.not_future else "=DATE(9999,12,31)"
        error = "Enter a date (mm/dd/yyyy)" + (", not after today." if column.not_future else ".")
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": "=DATE(2000,1,1)",
            "maximum": latest,
            "error_message": error,
            **common,
        }
    if column.help:
        return {"validate": "any", **common}  # no rule: just the input message
    return None


def _write_instructions(workbook, instructions: Sequence[str], wrap) -> None:
    sheet = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    sheet.set_column(0, 0, 110)
    for row, line in enumerate(instructions):
        sheet.write_string(row, 0, neutralise(line), wrap)


def _write_about(workbook, spec: SheetSpec, about: dict[str, str | int], datetime_format) -> None:
    """The hidden cells the reader checks: which report this is and which layout version."""
    sheet = workbook.add_worksheet(ABOUT_SHEET)
    sheet.very_hidden()
    pairs = [("report", spec.report_id), ("version", spec.version), *about.items()]
    for row, (name, value) in enumerate(pairs):
        sheet.write_string(row, 0, neutralise(str(name)))
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(row, 1, value)
        else:
            sheet.write_string(row, 1, neutralise(str(value)))
    sheet.write_string(len(pairs), 0, "exported")
    sheet.write_datetime(len(pairs), 1, timezone.localtime().replace(tzinfo=None), datetime_format)
