"""Helpers for tests of hostile files: change the parts inside an XLSX's zip, as an attacker (or
Excel saving as .xlsm) would."""

import io
import zipfile
from datetime import date

from openpyxl import Workbook

from reports.sheets import Column, Kind, SheetSpec, write_sheet

SPEC = SheetSpec(
    report_id="bounds-test",
    version=1,
    title="Bounds test",
    key="id",
    columns=(
        Column("id", "ID", accessor=lambda o: o),
        Column("made", "Contact Made", kind=Kind.YES_NO, editable=True, required=True),
        Column("when", "Contact Date", kind=Kind.DATE, editable=True),
        Column("ref", "Reference", editable=True, max_length=5),
    ),
)


def written(rows=("R1", "R2"), spec=SPEC) -> bytes:
    """A sheet as the app writes it, with every row answered."""
    out = io.BytesIO()
    write_sheet(spec, rows, out)
    workbook_bytes = out.getvalue()
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(workbook_bytes))
    sheet = workbook[spec.sheet_title]
    for row in range(2, sheet.max_row + 1):
        sheet[f"B{row}"] = "Y"
        sheet[f"C{row}"] = date(2026, 1, 2)
    return saved(workbook)


def saved(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_parts(data: bytes, add: dict[str, bytes] = None, change=None) -> bytes:
    """The same zip with parts added, or changed by `change(name, content) -> content`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            content = source.read(member.filename)
            if change:
                content = change(member.filename, content)
            target.writestr(member.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def data_sheet_part(data: bytes) -> str:
    """The zip name of the data sheet (the first worksheet written)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))[0]
