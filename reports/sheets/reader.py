"""Read an uploaded XLSX back against its SheetSpec: is it a safe, real workbook, is it ours,
and is every value valid? Errors are given by row and column in plain words.

The reader knows nothing about cases or referrals: each report checks its own rules (does the
case exist, is it still waiting) on the rows this returns.
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from .spec import Column, Kind, SheetSpec
from .writer import ABOUT_SHEET, FORMULA_TRIGGERS

# Zip-bomb guards, checked on the zip's directory before openpyxl inflates anything.
MAX_UNCOMPRESSED_FACTOR = 40  # total unpacked size ≤ 40 × the upload limit
MAX_MEMBER_RATIO = 150  # real XLSX parts compress ~5-30×; bombs compress ~1000×
MAX_MEMBERS = 500
DATE_INPUT_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y", "%m-%d-%Y")
MAX_ERRORS = 500
ABOUT_MAX_ROWS = 20


@dataclass
class SheetError:
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"“{self.column}”")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class SheetRow:
    number: int  # the row number the user sees in Excel
    values: dict[str, Any]
    # False when every editable cell was left empty: the row was not worked on yet.
    answered: bool = True


@dataclass
class SheetResult:
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)
    # The name/value pairs the writer put in the hidden About sheet.
    about: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.errors.append(SheetError(message, row=row, column=column))


class SheetRejected(Exception):
    """The file as a whole cannot be read (not ours, not XLSX, too big, ...)."""


def read_sheet(spec: SheetSpec, upload, *, today: date | None = None) -> SheetResult:
    """Read and validate `upload` (a file object, e.g. Django's UploadedFile) against `spec`."""
    result = SheetResult()
    try:
        data = _read_bytes(upload)
        _check_zip(data)
        workbook = _open_workbook(data)
    except SheetRejected as rejected:
        result.add(str(rejected))
        return result
    try:
        result.about = _check_identity(spec, workbook)
        sheet = _data_sheet(spec, workbook)
        _read_rows(spec, sheet, result, today or timezone.localdate())
    except SheetRejected as rejected:
        result.rows = []
        result.add(str(rejected))
    finally:
        workbook.close()
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


NOT_XLSX = (
    "This file is not an Excel workbook (.xlsx). Open it in Excel, save it as “Excel "
    "Workbook (.xlsx)” and upload it again. Nothing was changed."
)


def _check_zip(data: bytes) -> None:
    """An XLSX is a zip; refuse one that would inflate to far more than an upload may be."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetRejected(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetRejected(NOT_XLSX) from None
    bomb = SheetRejected(
        "This file unpacks to far more data than a spreadsheet of this size should (it looks "
        "like a “zip bomb”), so it was not opened. Nothing was changed."
    )
    if len(members) > MAX_MEMBERS:
        raise bomb
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_FACTOR * settings.UPLOAD_MAX_BYTES:
        raise bomb
    for member in members:
        big = member.file_size > 1024 * 1024
        if big and member.file_size > MAX_MEMBER_RATIO * max(member.compress_size, 1):
            raise bomb
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise SheetRejected(NOT_XLSX)


def _open_workbook(data: bytes):
    try:
        # read_only streams rows; data_only=False so typed-in formulas can be refused.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise SheetRejected(
            "This file could not be opened as an Excel workbook (.xlsx); it may be damaged. "
            "Nothing was changed."
        ) from None


def _check_identity(spec: SheetSpec, workbook) -> dict[str, Any]:
    not_ours = SheetRejected(
        f"This is not a “{spec.title}” sheet downloaded from Exchange Tracker. Download the "
        "sheet from Exchange Tracker, fill it in and upload that file. Nothing was changed."
    )
    if ABOUT_SHEET not in workbook.sheetnames:
        raise not_ours
    about = {
        row[0]: row[1]
        for row in workbook[ABOUT_SHEET].iter_rows(
            min_row=1, max_row=ABOUT_MAX_ROWS, max_col=2, values_only=True
        )
        if len(row) >= 2 and row[0]
    }
    if about.get("report") != spec.report_id:
        raise not_ours
    if str(about.get("version")) != str(spec.version):
        raise SheetRejected(
            f"This “{spec.title}” sheet has an older or different layout (version "
            f"{about.get('version')}; the current one is version {spec.version}). Download a "
            "fresh sheet and copy your answers into it. Nothing was changed."
        )
    return about


def _data_sheet(spec: SheetSpec, workbook):
    if spec.sheet_title not in workbook.sheetnames:
        raise SheetRejected(
            f"The sheet “{spec.sheet_title}” is missing from the workbook: it may have been "
            "renamed or deleted. Download a fresh sheet. Nothing was changed."
        )
    return workbook[spec.sheet_title]


def _read_rows(spec: SheetSpec, sheet, result: SheetResult, today: date) -> None:
    width = len(spec.columns)
    rows = sheet.iter_rows(min_row=1, max_col=width)
    header = next(rows, None)
    headers = [_text(cell.value) for cell in header or ()]
    headers += [""] * (width - len(headers))
    if headers != spec.headers:
        raise SheetRejected(
            "The columns of the sheet have been changed (added, removed, renamed or moved). "
            "Use the columns exactly as downloaded. Nothing was changed."
        )
    seen_keys: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        cells = list(cells) + [None] * (width - len(cells))
        if all(_blank(cell) for cell in cells):
            continue
        row = _read_row(spec, number, cells, result, today)
        if spec.key:
            key = row.values.get(spec.key)
            if key and key in seen_keys:
                result.add(
                    f"{key} appears twice (also on row {seen_keys[key]}). Keep one row per record.",
                    row=number,
                    column=spec.column(spec.key).header,
                )
            elif key:
                seen_keys[key] = number
        result.rows.append(row)
        if len(result.errors) > MAX_ERRORS:
            result.add(f"More than {MAX_ERRORS} problems: stopped checking here.")
            return
    if not result.rows:
        raise SheetRejected("The sheet has no rows. Nothing was changed.")


def _blank(cell) -> bool:
    return cell is None or cell.value is None or _text(cell.value) == ""


def _read_row(spec: SheetSpec, number: int, cells, result: SheetResult, today: date) -> SheetRow:
    values: dict[str, Any] = {}
    answered = not any(c.editable for c in spec.columns) or any(
        not _blank(cell)
        for column, cell in zip(spec.columns, cells, strict=True)
        if column.editable
    )
    for column, cell in zip(spec.columns, cells, strict=True):
        if cell is not None and getattr(cell, "data_type", None) == "f":
            result.add(
                "contains a formula; type the value itself.", row=number, column=column.header
            )
            values[column.key] = None
            continue
        raw = None if cell is None else cell.value
        try:
            values[column.key] = _parse(column, raw, today)
        except ValueError as error:
            result.add(str(error), row=number, column=column.header)
            values[column.key] = None
            continue
        if column.editable and column.required and answered and values[column.key] in (None, ""):
            result.add("is required.", row=number, column=column.header)
    return SheetRow(number=number, values=values, answered=answered)


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
            raise ValueError(f"must be Y or N, not “{text}”.")
        return answer
    if column.kind == Kind.LIST and text and column.editable:
        match = {choice.lower(): choice for choice in column.choices}.get(text.lower())
        if match is None:
            raise ValueError(f"“{text}” is not one of the choices in the list.")
        return match
    if column.kind == Kind.NUMBER and text:
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"must be a whole number, not “{text}”.") from None
    return text


def _parse_date(column: Column, value, today: date) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            day = from_excel(value).date()
        except (ValueError, OverflowError, TypeError):
            raise ValueError(f"“{value}” is not a date; use mm/dd/yyyy.") from None
    else:
        text = _text(value)
        for pattern in DATE_INPUT_FORMATS:
            try:
                day = datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"“{text}” is not a date; use mm/dd/yyyy, e.g. 11/24/2026.")
    if column.editable and column.not_future and day > today:
        raise ValueError(f"{day:%m/%d/%Y} is in the future.")
    return day
