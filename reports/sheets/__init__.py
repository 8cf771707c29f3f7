"""Spreadsheets declared once (spec), written streaming (writer) and read back with checks (reader).

DESIGN.md "Spreadsheets": every report that leaves the app as XLSX and may come back declares one
`SheetSpec`; the same spec drives `write_sheet` and `read_sheet`, so the two cannot disagree.
"""

from .guard import SheetRejected
from .problems import Problems, SheetError
from .reader import OpenSheet, SheetResult, SheetRow, chunked, open_sheet, read_sheet
from .spec import Column, Kind, SheetSpec
from .writer import write_sheet

__all__ = [
    "Column",
    "Kind",
    "OpenSheet",
    "Problems",
    "SheetError",
    "SheetRejected",
    "SheetResult",
    "SheetRow",
    "SheetSpec",
    "chunked",
    "open_sheet",
    "read_sheet",
    "write_sheet",
]
