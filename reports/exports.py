"""Serve a SheetSpec export as a download, without holding the workbook in memory."""

import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse
from django.utils import timezone

from .sheets import SheetSpec, write_sheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_filename(spec: SheetSpec, now=None) -> str:
    """Report name + local timestamp, e.g. "state-monitor-handoff-2026-11-24-1402.xlsx"."""
    now = timezone.localtime(now)
    return f"{spec.filename_stem or spec.report_id}-{now:%Y-%m-%d-%H%M}.xlsx"


def xlsx_response(
    spec: SheetSpec,
    rows: Iterable,
    *,
    instructions: Sequence[str] = (),
    about: dict | None = None,
    filename: str = "",
    more: Sequence[tuple[SheetSpec, Iterable]] = (),
):
    """Write the rows to a temporary file (openpyxl streams them there) and stream that file.

    The temporary file is deleted when the response is closed.
    """
    out = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        write_sheet(spec, rows, out, instructions=instructions, about=about, more=more)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return FileResponse(
        out,
        as_attachment=True,
        filename=filename or export_filename(spec),
        content_type=XLSX_CONTENT_TYPE,
    )
