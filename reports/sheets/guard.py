"""Whole-file checks on an uploaded XLSX, made on the zip before any spreadsheet library opens it.

An XLSX is a zip of XML parts. What openpyxl (or any reader) would spend on a file grows with
the rows, cells and text inside those parts, so they are bounded here by streaming each part
once, cheaply, and stopping at the first thing past a limit (issue 11: a 2 MB file with
1,000,000 rows took 2 minutes and 2.6 GB to refuse):

- the zip itself: no "zip bomb", no macros (vbaProject.bin, a macro-enabled content type or an
  .xlsm name) and no links to other workbooks (xl/externalLinks/);
- each worksheet: at most `max_rows` rows past the header and `max_columns` cells a row;
- every XML part: no run of text longer than the longest cell Excel can hold, and no more
  shared strings than the sheet could use;
- each worksheet's cell references (r="XFD1048576"): no cell past row `max_rows` + 1 or column
  `max_columns`. python-calamine builds a dense grid from the first to the last cell it finds, so
  one far-away cell would make it allocate billions of cells and abort the process: references
  are bounded here, before it opens the file (the `<dimension>` element it ignores).

The scan also notes what only the XML shows: formulas (`<f>`) and error cells (t="e"), which the
reader needs openpyxl for (docs/decisions/0009-sheet-reader.md).
"""

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from xml.parsers import expat

from django.conf import settings


class SheetRejected(Exception):
    """The file as a whole cannot be read (not ours, not XLSX, too big, ...)."""


# Zip-bomb guards, checked on the zip's directory before anything is inflated.
MAX_UNCOMPRESSED_FACTOR = 40  # total unpacked size ≤ 40 × the upload limit
MAX_MEMBER_RATIO = 150  # real XLSX parts compress ~5-30×; bombs compress ~1000×
MAX_MEMBERS = 500
# Excel holds at most 32,767 characters in a cell; in XML that is at most ~164 KB (5-byte
# escapes). A chunk bigger than that with no "<" in it cannot be a real cell.
EXCEL_CELL_MAX = 32_767
CHUNK = 192 * 1024
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".xlsb")
# A worksheet's rows and cells, and the shared-string table's entries, with any namespace prefix.
TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?(row|c|si)[\s/>]")
CELL_REFERENCE = re.compile(r"([A-Za-z]{0,3})(\d{0,7})")
CARRY = 64  # bytes kept between chunks so a tag split across two is still seen once

NOT_XLSX = (
    "This file is not an Excel workbook (.xlsx). Open it in Excel, save it as “Excel "
    "Workbook (.xlsx)” and upload it again. Nothing was changed."
)
BOMB = (
    "This file unpacks to far more data than a spreadsheet of this size should (it looks "
    "like a “zip bomb”), so it was not opened. Nothing was changed."
)
MACROS = (
    "This workbook contains macros (a macro-enabled .xlsm file). Macros are not accepted: "
    "save it in Excel as “Excel Workbook (.xlsx)” and upload that. Nothing was changed."
)
EXTERNAL_LINKS = (
    "This workbook links to other workbooks (external links). Remove the links (Excel: Data › "
    "Edit Links › Break Link), save and upload it again. Nothing was changed."
)
LONG_CELL = (
    f"A cell in this file holds more text than Excel allows in a cell ({EXCEL_CELL_MAX:,} "
    "characters), so the file was not opened. Nothing was changed."
)


def too_many_rows(max_rows: int) -> str:
    return (
        f"The sheet has more than {max_rows:,} rows; one upload may hold at most "
        f"{max_rows:,}. Split it into smaller sheets and upload each. Nothing was changed."
    )


def too_many_columns(max_columns: int) -> str:
    return (
        f"A row of the sheet has more than {max_columns:,} cells, far more than this report's "
        "columns. Use the columns exactly as downloaded. Nothing was changed."
    )


def too_far(max_columns: int) -> str:
    return (
        f"A cell of the sheet lies past column {max_columns:,}, far outside this report's "
        "columns. Use the columns exactly as downloaded (clear or delete the far-away cells). "
        "Nothing was changed."
    )


@dataclass
class Scanned:
    """What the scan saw that a reader needs to know: any formula, any error cell (#N/A)."""

    formulas: bool = False
    error_cells: bool = False
    # A worksheet expat could not parse (damaged, or with a document type declaration).
    damaged: bool = False

    @property
    def plain(self) -> bool:
        """Only values: python-calamine reads it exactly as openpyxl would."""
        return not (self.formulas or self.error_cells or self.damaged)

    @classmethod
    def of(cls, plain: bool) -> "Scanned":
        """What a reader needs of an earlier scan that found the file `plain` or not."""
        return cls() if plain else cls(formulas=True)


def check_archive(data: bytes, *, name: str = "", max_rows: int, max_columns: int) -> Scanned:
    """Raise SheetRejected unless `data` is a plain XLSX within every bound above."""
    if PurePath(name or "").suffix.lower() in MACRO_SUFFIXES:
        raise SheetRejected(MACROS)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetRejected(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_directory(members)
            scanned = Scanned()
            for member in members:
                _scan_member(archive, member, scanned, max_rows=max_rows, max_columns=max_columns)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise SheetRejected(NOT_XLSX) from None
    except NotImplementedError:  # a compression method zipfile does not know
        raise SheetRejected(NOT_XLSX) from None
    return scanned


def _check_directory(members) -> None:
    if len(members) > MAX_MEMBERS:
        raise SheetRejected(BOMB)
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_FACTOR * settings.UPLOAD_MAX_BYTES:
        raise SheetRejected(BOMB)
    for member in members:
        big = member.file_size > 1024 * 1024
        if big and member.file_size > MAX_MEMBER_RATIO * max(member.compress_size, 1):
            raise SheetRejected(BOMB)
    names = [member.filename.replace("\\", "/").lower() for member in members]
    if "[content_types].xml" not in names:
        raise SheetRejected(NOT_XLSX)
    # Printer settings are .bin parts too; only the VBA project (and its signature) is code.
    if any(PurePath(n).name.startswith("vbaproject") for n in names):
        raise SheetRejected(MACROS)
    if any(n.startswith("xl/externallinks/") for n in names):
        raise SheetRejected(EXTERNAL_LINKS)


def _scan_member(archive, member, scanned: Scanned, *, max_rows: int, max_columns: int) -> None:
    name = member.filename.replace("\\", "/").lower()
    if not name.endswith((".xml", ".rels", ".vml")):
        return
    is_sheet = name.startswith("xl/worksheets/")
    is_strings = name.startswith("xl/sharedstrings")
    is_types = name == "[content_types].xml"
    rows = cells_in_row = strings = 0
    # Worksheets are also parsed as XML (expat): references as calamine will read them, entities
    # and any quoting included.
    cells = _Cells(scanned, max_rows=max_rows, max_columns=max_columns) if is_sheet else None
    max_strings = (max_rows + 1) * max_columns
    carry = b""
    with archive.open(member) as part:
        while True:
            chunk = part.read(CHUNK)
            if len(chunk) == CHUNK and b"<" not in chunk:
                raise SheetRejected(LONG_CELL)
            if is_types and b"macroEnabled" in carry + chunk:
                raise SheetRejected(MACROS)
            if not (is_sheet or is_strings):
                carry = chunk[-CARRY:]
                if not chunk:
                    return
                continue
            buffer = carry + chunk
            # Tags starting in the last CARRY bytes are counted with the next chunk.
            end = len(buffer) if not chunk else max(len(buffer) - CARRY, 0)
            for match in TAG.finditer(buffer):
                if match.start() >= end:
                    break
                tag = match.group(1)
                if tag == b"row":
                    rows += 1
                    cells_in_row = 0
                    if rows > max_rows + 1:  # the header row and max_rows rows
                        raise SheetRejected(too_many_rows(max_rows))
                elif tag == b"c":
                    cells_in_row += 1
                    if cells_in_row > max_columns:
                        raise SheetRejected(too_many_columns(max_columns))
                else:
                    strings += 1
                    if strings > max_strings:
                        raise SheetRejected(too_many_rows(max_rows))
            if cells is not None:
                cells.feed(chunk)
            if not chunk:
                return
            carry = buffer[end:]


class _Cells:
    """Streams a worksheet's XML through expat: bounds every row and cell reference, and notes
    formulas, error cells and anything expat cannot parse (the reader then uses openpyxl, whose
    messages for damaged files are the ones users know)."""

    def __init__(self, scanned: Scanned, *, max_rows: int, max_columns: int):
        self.scanned, self.max_rows, self.max_columns = scanned, max_rows, max_columns
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        # No document type: entity declarations are how XML bombs grow.
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.broken = False
        self.columns_seen: set[str] = set()

    def feed(self, chunk: bytes) -> None:
        if self.broken:
            return
        try:
            self.parser.Parse(chunk, not chunk)
        except expat.ExpatError:
            self.broken = True
            self.scanned.damaged = True

    def doctype(self, *args) -> None:
        self.scanned.damaged = True
        raise expat.ExpatError("document type declaration")

    def start(self, name: str, attributes: dict) -> None:
        local = name.rpartition(":")[2]
        if local == "f":
            self.scanned.formulas = True
        elif local == "c" or local == "row":
            for key, value in attributes.items():
                key = key.rpartition(":")[2]
                if key == "r":
                    self.check(value)
                elif key == "t" and value == "e" and local == "c":
                    self.scanned.error_cells = True

    def check(self, reference: str) -> None:
        match = CELL_REFERENCE.fullmatch(reference.strip())
        if match is None:  # not a reference calamine could place within the bounds
            raise SheetRejected(too_far(self.max_columns))
        letters, digits = match.groups()
        if digits and int(digits) > self.max_rows + 1:
            raise SheetRejected(too_many_rows(self.max_rows))
        if letters and letters not in self.columns_seen:
            if _column_number(letters) > self.max_columns:
                raise SheetRejected(too_far(self.max_columns))
            self.columns_seen.add(letters)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number
