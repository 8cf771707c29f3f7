"""Read an uploaded XLSX back against its SheetSpec: is it a safe, real workbook, is it ours,
and is every value valid? Errors are given by row and column in plain words.

The reader knows nothing about cases or referrals: each report checks its own rules (does the
case exist, is it still waiting) on the rows this returns.

Cells are read by python-calamine (Rust; ~15× faster than openpyxl's read-only mode) when the
guard's scan found only values, and by openpyxl otherwise — formulas (refused cell by cell),
error cells (#N/A) and XML expat cannot parse — so those files get exactly the messages they
always had (docs/decisions/0009-sheet-reader.md). Both give the same values to the checks below.
"""

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from . import books
from .books import EXCEL_FIRST_DAY, EXCEL_LAST_DAY, FORMULA
from .guard import EXCEL_CELL_MAX, Scanned, SheetRejected, check_archive, too_many_rows
from .problems import Problems, SheetError, quote
from .spec import Column, Kind, SheetSpec
from .writer import ABOUT_SHEET, FORMULA_TRIGGERS

logger = logging.getLogger(__name__)
UNREADABLE = (
    "Row {row} of the file could not be read: the file may be damaged or hold a value Excel "
    "cannot. Save it again in Excel and upload it. Nothing was changed."
)
NOT_A_WORKBOOK = (
    "This file could not be opened as an Excel workbook (.xlsx); it may be damaged. "
    "Nothing was changed."
)
DATE_INPUT_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y", "%m-%d-%Y")
ABOUT_MAX_ROWS = 20
# Cells a row may have past the report's own columns (Excel writes empty formatted cells).
EXTRA_COLUMNS = 8


@dataclass
class SheetRow:
    number: int  # the row number the user sees in Excel
    values: dict[str, Any]
    # False when every editable cell was left empty: the row was not worked on yet.
    answered: bool = True
    # What the reader found wrong in this row's cells (the import adds its own after these).
    errors: list[SheetError] = field(default_factory=list)

    def add(self, message: str, column: Column) -> None:
        self.errors.append(SheetError(message, row=self.number, column=column.header))

    @property
    def problem_columns(self) -> set[str]:
        return {error.column for error in self.errors if error.column}


@dataclass
class SheetResult:
    rows: list[SheetRow] = field(default_factory=list)
    errors: Problems = field(default_factory=Problems)
    # The name/value pairs the writer put in the hidden About sheet.
    about: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class OpenSheet:
    """A checked workbook whose data rows can be streamed once with `rows()`.

    `sheet` gives rows of cell values (None for empty, FORMULA for a formula): `rows(min_row,
    max_row, max_col)` like openpyxl's iter_rows with values only."""

    def __init__(
        self,
        spec: SheetSpec,
        sheet,
        about: dict[str, Any],
        today: date,
        scanned: Scanned | None = None,
    ):
        self.spec, self.sheet, self.about, self.today = spec, sheet, about, today
        # What the sheet guard found in the file (kept on the upload for its confirmation).
        self.scanned = scanned
        self.max_rows = settings.SHEET_MAX_ROWS

    def rows(self) -> Iterator[SheetRow]:
        """Each non-empty data row, checked cell by cell. Raises SheetRejected for the file as
        a whole — at the first row past the row limit, before that row is looked at."""
        spec = self.spec
        width = len(spec.columns)
        self._check_header()
        seen_keys: dict[str, int] = {}
        any_rows = False
        for number, cells in _guarded(self.sheet.rows(min_row=2, max_col=width), first=2):
            if number > self.max_rows + 1:
                raise SheetRejected(too_many_rows(self.max_rows))
            cells = list(cells) + [None] * (width - len(cells))
            if all(_blank(cell) for cell in cells):
                continue
            any_rows = True
            try:
                row = _read_row(spec, number, cells, self.today)
            except Exception:
                # A value no check foresaw: refuse the file in plain words, not with a 500.
                logger.exception("Unexpected value in row %s of an uploaded sheet", number)
                raise SheetRejected(UNREADABLE.format(row=number)) from None
            if spec.key:
                key = row.values.get(spec.key)
                if key and key in seen_keys:
                    row.add(
                        f"{quote(key)} appears twice (also on row {seen_keys[key]}). Keep one row "
                        "per record.",
                        spec.column(spec.key),
                    )
                elif key:
                    seen_keys[key] = number
            yield row
        if not any_rows:
            raise SheetRejected("The sheet has no rows. Nothing was changed.")

    def _check_header(self) -> None:
        spec = self.spec
        header = next((cells for _, cells in _guarded(self.sheet.rows(max_row=1))), ())
        headers = [_text(value) for value in header]
        headers += [""] * (len(spec.columns) - len(headers))
        # Cells past the report's columns must be empty: an added column would be ignored.
        if headers[: len(spec.columns)] != spec.headers or any(headers[len(spec.columns) :]):
            raise SheetRejected(
                "The columns of the sheet have been changed (added, removed, renamed or moved). "
                "Use the columns exactly as downloaded. Nothing was changed."
            )


def chunked(rows: Iterator[SheetRow], size: int) -> Iterator[list[SheetRow]]:
    """Rows `size` at a time, so an import can look a chunk's records up in one query."""
    chunk: list[SheetRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _guarded(rows, first: int = 1):
    """Number the rows; anything openpyxl raises on a damaged part refuses the whole file
    (it parses lazily, so damage deep in a sheet only shows while iterating)."""
    number = first - 1
    iterator = iter(rows)
    while True:
        number += 1
        try:
            cells = next(iterator)
        except StopIteration:
            return
        except Exception:
            raise SheetRejected(UNREADABLE.format(row=number)) from None
        yield number, cells


@contextmanager
def open_sheet(
    spec: SheetSpec, upload, *, today: date | None = None, checked: Scanned | None = None
) -> Iterator[OpenSheet]:
    """Check `upload` (a file object, e.g. Django's UploadedFile) as a whole and open it.
    Raises SheetRejected if the file cannot be trusted or is not this report's sheet.

    `checked`: what the guard found when these very bytes were uploaded (reports.uploads.reopen
    passes it for the app's own kept copy, whose bytes it has verified): the archive is not
    scanned again. The sheet's rows are still read and checked one by one."""
    data = _read_bytes(upload)
    scanned = checked or check_archive(
        data,
        name=getattr(upload, "name", "") or "",
        max_rows=settings.SHEET_MAX_ROWS,
        max_columns=len(spec.columns) + EXTRA_COLUMNS,
    )
    workbook = None
    if scanned.plain and books.READER == "calamine":
        workbook = books.open_calamine(data, {ABOUT_SHEET: ABOUT_MAX_ROWS, spec.sheet_title: None})
    if workbook is None:
        workbook = books.OpenpyxlBook(_open_workbook(data))
    try:
        try:
            about = _check_identity(spec, workbook)
            sheet = _data_sheet(spec, workbook)
        except SheetRejected:
            raise
        except Exception:  # openpyxl parses sheets lazily: damage may show only now
            raise SheetRejected(NOT_A_WORKBOOK) from None
        yield OpenSheet(spec, sheet, about, today or timezone.localdate(), scanned)
    finally:
        workbook.close()


def read_sheet(spec: SheetSpec, upload, *, today: date | None = None) -> SheetResult:
    """Read and validate the whole of `upload` against `spec` (rows kept in memory; imports
    stream with `open_sheet` instead)."""
    result = SheetResult()
    try:
        with open_sheet(spec, upload, today=today) as sheet:
            result.about = sheet.about
            for row in sheet.rows():
                result.errors.extend(row.errors)
                result.rows.append(row)
    except SheetRejected as rejected:
        result.rows = []
        result.errors = Problems([SheetError(str(rejected))])
    return result


def _read_bytes(upload) -> bytes:
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > limit:
        raise SheetRejected(
            f"The file is {filesizeformat(size)}; the largest file accepted is "
            f"{filesizeformat(limit)}. Nothing was changed."
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # the size we were told was wrong
        raise SheetRejected(
            f"The file is larger than {filesizeformat(limit)}, the largest accepted. "
            "Nothing was changed."
        )
    if not data:
        raise SheetRejected("The file is empty. Nothing was changed.")
    return data


def _open_workbook(data: bytes):
    try:
        # read_only streams rows; data_only=False so typed-in formulas can be refused.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise SheetRejected(NOT_A_WORKBOOK) from None


def _check_identity(spec: SheetSpec, workbook) -> dict[str, Any]:
    not_ours = SheetRejected(
        f"This is not a “{spec.title}” sheet downloaded from Exchange Tracker. Download the "
        "sheet from Exchange Tracker, fill it in and upload that file. Nothing was changed."
    )
    if ABOUT_SHEET not in workbook.sheetnames:
        raise not_ours
    rows = workbook.sheet(ABOUT_SHEET).rows(min_row=1, max_row=ABOUT_MAX_ROWS, max_col=2)
    about = {row[0]: row[1] for _, row in _guarded(rows) if len(row) >= 2 and row[0]}
    if about.get("report") != spec.report_id:
        raise not_ours
    if str(about.get("version")) != str(spec.version):
        raise SheetRejected(
            f"This “{spec.title}” sheet has an older or different layout (version "
            f"{_text(about.get('version'))[:20]}; the current one is version {spec.version}). "
            "Download a fresh sheet and copy your answers into it. Nothing was changed."
        )
    return about


def _data_sheet(spec: SheetSpec, workbook):
    if spec.sheet_title not in workbook.sheetnames:
        raise SheetRejected(
            f"The sheet “{spec.sheet_title}” is missing from the workbook: it may have been "
            "renamed or deleted. Download a fresh sheet. Nothing was changed."
        )
    return workbook.sheet(spec.sheet_title)


def _blank(value) -> bool:
    return value is None or (value is not FORMULA and _text(value) == "")


def _read_row(spec: SheetSpec, number: int, cells, today: date) -> SheetRow:
    row = SheetRow(number=number, values={})
    row.answered = not any(c.editable for c in spec.columns) or any(
        not _blank(cell)
        for column, cell in zip(spec.columns, cells, strict=True)
        if column.editable
    )
    for column, cell in zip(spec.columns, cells, strict=True):
        row.values[column.key] = None
        if cell is FORMULA:
            row.add("contains a formula; type the value itself.", column)
            continue
        raw = cell
        if isinstance(raw, str) and len(raw) > EXCEL_CELL_MAX:
            row.add(f"holds more than the {EXCEL_CELL_MAX:,} characters Excel allows.", column)
            continue
        try:
            value = _parse(column, raw, today)
        except ValueError as error:
            row.add(str(error), column)
            continue
        if column.max_length and isinstance(value, str) and len(value) > column.max_length:
            row.add(
                f"is {len(value):,} characters long; at most {column.max_length:,} are allowed.",
                column,
            )
            continue
        row.values[column.key] = value
        if column.editable and column.required and row.answered and value in (None, ""):
            row.add("is required.", column)
    return row


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # Undo the writer's neutralising apostrophe.
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_TRIGGERS:
        text = text[1:]
    return text


def _parse(column: Column, value, today: date):
    if column.kind == Kind.DATE:
        return _parse_date(column, value, today)
    text = _text(value)
    if column.kind == Kind.YES_NO:
        if text == "":
            return None
        answer = {"y": True, "yes": True, "n": False, "no": False}.get(text.lower())
        if answer is None:
            raise ValueError(f"must be Y or N, not {quote(text)}.")
        return answer
    if column.kind == Kind.LIST and text and column.editable:
        match = {choice.lower(): choice for choice in column.choices}.get(text.lower())
        if match is None:
            raise ValueError(f"{quote(text)} is not one of the choices in the list.")
        return match
    if column.kind == Kind.NUMBER and text:
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"must be a whole number, not {quote(text)}.") from None
    return text


def _parse_date(column: Column, value, today: date) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, time | timedelta):
        # A number formatted as a time (0.5 is noon) or a duration: not a day.
        raise ValueError(f"{quote(value)} is a time, not a date; type the date as mm/dd/yyyy.")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        day = _excel_day(value)
    else:
        text = _text(value)
        for pattern in DATE_INPUT_FORMATS:
            try:
                day = datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"{quote(text)} is not a date; use mm/dd/yyyy, e.g. 11/24/2026.")
    if column.editable and column.not_future and day > today:
        raise ValueError(f"{day:%m/%d/%Y} is in the future.")
    return day


def _excel_day(value: int | float) -> date:
    """A date typed as Excel's day number (a cell formatted General). Numbers below 1 are
    times of day and huge ones are no day at all: both get a plain error, not a crash."""
    not_a_date = ValueError(
        f"{quote(_text(value))} is a number, not a date; type the date as mm/dd/yyyy, "
        "e.g. 11/24/2026."
    )
    if not EXCEL_FIRST_DAY <= value <= EXCEL_LAST_DAY:  # also false for NaN
        raise not_a_date
    try:
        converted = from_excel(value)
    except (ValueError, OverflowError, TypeError):
        raise not_a_date from None
    if not isinstance(converted, datetime):
        raise not_a_date
    return converted.date()
