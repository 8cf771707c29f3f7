"""Write a SheetSpec's rows as XLSX with openpyxl's write-only (streaming) workbook.

Rows are pulled from any iterable one at a time and written to a temporary file by openpyxl, so
memory stays flat however many rows there are (exports have no row cap, DESIGN.md).
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .spec import Column, Kind, SheetSpec

LISTS_SHEET = "Lists"
ABOUT_SHEET = "About"
INSTRUCTIONS_SHEET = "Instructions"
DATE_FORMAT = "mm/dd/yyyy"
YES_NO = ("Y", "N")
# A cell starting with one of these may be run as a formula by a spreadsheet program (OWASP
# "CSV injection"); such text is written with a leading apostrophe, which the reader removes.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_EDITABLE_HEADER_FILL = PatternFill("solid", fgColor="7A5C00")


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
) -> int:
    """Write `rows` (objects the columns' accessors understand) to the binary file `out`.

    `about` adds name/value pairs to the hidden About sheet (e.g. which organization's report
    this is), read back by `read_sheet` into `SheetResult.about`. Returns the number of rows.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.sheet_title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(spec.columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.hidden:
            dimension.hidden = True

    sheet.append([_header_cell(sheet, column) for column in spec.columns])
    count = 0
    for obj in rows:
        sheet.append([_cell(sheet, column, column.value_for(obj)) for column in spec.columns])
        count += 1

    list_ranges = _write_lists(workbook, spec)
    _add_validations(sheet, spec, count, list_ranges)
    if instructions:
        _write_instructions(workbook, instructions)
    _write_about(workbook, spec, about or {})
    workbook.save(out)
    return count


def _header_cell(sheet, column: Column) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralise(column.header))
    cell.font = _HEADER_FONT
    cell.fill = _EDITABLE_HEADER_FILL if column.editable else _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _cell(sheet, column: Column, value) -> WriteOnlyCell:
    if isinstance(value, datetime):
        # Excel has no time zones: show the local wall-clock time.
        value = timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    elif isinstance(value, str):
        value = neutralise(value)
    elif value is not None and not isinstance(value, date | int | float):
        value = neutralise(str(value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    if column.kind == Kind.DATE:
        cell.number_format = DATE_FORMAT if not isinstance(value, datetime) else "mm/dd/yyyy hh:mm"
    return cell


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
    sheet = workbook.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    longest = max(len(values) for _, values in lists)
    for row in range(longest):
        sheet.append([values[row] if row < len(values) else None for _, values in lists])
    ranges = {}
    for index, (key, values) in enumerate(lists, start=1):
        letter = get_column_letter(index)
        ranges[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(values)}"
    return ranges


def _add_validations(sheet, spec: SheetSpec, count: int, list_ranges: dict[str, str]) -> None:
    if count == 0:
        return
    for index, column in enumerate(spec.columns, start=1):
        if not column.editable:
            continue
        letter = get_column_letter(index)
        validation = _validation_for(column, list_ranges)
        if validation is None:
            continue
        validation.sqref = f"{letter}2:{letter}{count + 1}"
        # Write-only worksheets have no add_data_validation (STACK.md).
        sheet.data_validations.append(validation)


def _validation_for(column: Column, list_ranges: dict[str, str]) -> DataValidation | None:
    common = {
        # Rows may be left empty for later; the reader enforces `required` on answered rows.
        "allow_blank": True,
        "showErrorMessage": True,
        "showInputMessage": bool(column.help),
        "promptTitle": column.header[:32],
        "prompt": column.help[:255] or None,
        "errorTitle": column.header[:32],
    }
    if column.key in list_ranges:
        return DataValidation(
            type="list",
            formula1=list_ranges[column.key],
            error="Pick a value from the list.",
            **common,
        )
    if column.kind == Kind.DATE:
        latest = "TODAY()" if column.not_future else "DATE(9999,12,31)"
        error = "Enter a date (mm/dd/yyyy)" + (", not after today." if column.not_future else ".")
        return DataValidation(
            type="date",
            operator="between",
            formula1="DATE(2000,1,1)",
            formula2=latest,
            error=error,
            **common,
        )
    if column.help:
        return DataValidation(type=None, **common)  # no rule: just the input message
    return None


def _write_instructions(workbook, instructions: Sequence[str]) -> None:
    sheet = workbook.create_sheet(INSTRUCTIONS_SHEET)
    sheet.column_dimensions["A"].width = 110
    for line in instructions:
        cell = WriteOnlyCell(sheet, value=neutralise(line))
        cell.alignment = Alignment(wrap_text=True)
        sheet.append([cell])


def _write_about(workbook, spec: SheetSpec, about: dict[str, str | int]) -> None:
    """The hidden cells the reader checks: which report this is and which layout version."""
    sheet = workbook.create_sheet(ABOUT_SHEET)
    sheet.sheet_state = "veryHidden"
    sheet.append(["report", spec.report_id])
    sheet.append(["version", spec.version])
    sheet.append(["exported", timezone.localtime().replace(tzinfo=None)])
    for name, value in about.items():
        sheet.append([name, value])
