"""The two libraries that read uploaded sheets, behind one small interface: a book has
`sheetnames`, `sheet(title)` and `close()`; a sheet has `rows(min_row, max_row, max_col)` giving
lists of cell values (None when empty, FORMULA for a formula) the way openpyxl gives them.

python-calamine reads files the guard found plain (values only); openpyxl reads the rest and
anything calamine reads differently (docs/decisions/0009-sheet-reader.md).
"""

import io
from datetime import date, datetime, time, timedelta

from python_calamine import CalamineWorkbook

# Excel's day numbers: 1 is 01/01/1900, 2958465 is 12/31/9999.
EXCEL_FIRST_DAY, EXCEL_LAST_DAY = 1, 2_958_465


class Formula:
    """A cell holding a formula (refused: the value itself must be typed)."""

    def __repr__(self):
        return "Formula()"


FORMULA = Formula()


# Which library reads plain files: "calamine", or "openpyxl" for every file (benchmarks and the
# test that both give the same values).
READER = "calamine"


class OpenpyxlBook:
    """openpyxl's read-only workbook, giving rows of values (FORMULA for a formula)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.sheetnames = workbook.sheetnames

    def sheet(self, title: str):
        return _OpenpyxlSheet(self.workbook[title])

    def close(self) -> None:
        self.workbook.close()


class _OpenpyxlSheet:
    def __init__(self, sheet):
        self.sheet = sheet

    def rows(self, *, min_row: int = 1, max_row: int | None = None, max_col: int | None = None):
        for cells in self.sheet.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col):
            yield [_openpyxl_value(cell) for cell in cells]


def _openpyxl_value(cell):
    if cell is None:
        return None
    if getattr(cell, "data_type", None) == "f":
        return FORMULA
    return cell.value


class _Unusual(Exception):
    """A value python-calamine reads differently from openpyxl: read the file with openpyxl."""


class CalamineBook:
    """The About and data sheets read by python-calamine, as rows of values the way openpyxl
    gives them: empty cells None, whole numbers int. The guard bounded every cell reference
    first: calamine loads a whole sheet as a dense grid from A1 to its last cell."""

    def __init__(self, sheetnames: list[str], sheets: dict[str, list]):
        self.sheetnames, self.sheets = sheetnames, sheets

    def sheet(self, title: str):
        return _ListSheet(self.sheets[title])

    def close(self) -> None:
        self.sheets = {}


class _ListSheet:
    def __init__(self, grid: list):
        self.grid = grid

    def rows(self, *, min_row: int = 1, max_row: int | None = None, max_col: int | None = None):
        for values in self.grid[min_row - 1 : max_row]:
            yield values[:max_col]


def _calamine_value(value):
    if value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 <= value <= EXCEL_LAST_DAY:
            # Past Excel's last day, a date-formatted cell is an error to openpyxl ("#VALUE!")
            # and a number to calamine, which does not say how the cell was formatted.
            raise _Unusual
        if isinstance(value, float) and value.is_integer():
            return int(value)
    if type(value) is date:  # openpyxl gives every date-formatted cell as a datetime
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time | timedelta):
        # A number formatted as a time or duration: openpyxl reads some (negative days) as
        # dates, so such a file is read by openpyxl, as it always was.
        raise _Unusual
    return value


def open_calamine(data: bytes, titles: dict[str, int | None]) -> CalamineBook | None:
    """The sheets named in `titles` (title → most rows to read, None for all) read by
    python-calamine, or None if it reads anything differently from openpyxl or cannot read the
    file at all (openpyxl then says what is wrong, as it always did)."""
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            names = list(workbook.sheet_names)
            sheets = {}
            for title, limit in titles.items():
                if title in names:
                    # skip_empty_area=False: row 1 is row 1 even when it starts empty.
                    grid = workbook.get_sheet_by_name(title).to_python(
                        skip_empty_area=False, nrows=limit
                    )
                    sheets[title] = [[_calamine_value(v) for v in row] for row in grid]
    except Exception:  # calamine's own errors, overflowing dates, _Unusual
        return None
    except BaseException as error:
        # A Rust panic (e.g. a duration out of chrono's range) comes as pyo3's PanicException,
        # a BaseException: the file goes to openpyxl like any other calamine cannot read.
        if type(error).__name__ != "PanicException":
            raise
        return None
    return CalamineBook(names, sheets)
