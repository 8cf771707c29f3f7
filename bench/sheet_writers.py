"""XlsxWriter (constant_memory) vs openpyxl (write-only), side by side (not run by CI).

    .venv/bin/python bench/sheet_writers.py 100000

Both write the same N rows × the QC report's columns (plain values, as the export builds them)
with every feature our sheets have: frozen header, column widths and a hidden column, typed
date cells with a date format, text neutralised against formulas and never parsed as one,
an editable Y/N column with a dropdown fed by the hidden Lists sheet, a date validation,
and the very hidden About sheet with the report id and version the reader checks. Each run
happens in a fresh process so peak memory (ru_maxrss) is that writer's alone. The XlsxWriter
file is then read back by our reader (reports.sheets.read_sheet) to prove it accepts it.
Figures: docs/decisions/0008-sheet-writer.md.
"""

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.styles import Alignment, Font, PatternFill  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402
from openpyxl.worksheet.datavalidation import DataValidation  # noqa: E402

from reports.qc_report import QC_REPORT_SPEC  # noqa: E402
from reports.sheets import Column, Kind, SheetSpec, write_sheet  # noqa: E402
from reports.sheets.writer import neutralise  # noqa: E402

# The QC report's columns plus the two kinds of editable column a returned sheet has.
SPEC = SheetSpec(
    report_id="bench-writers",
    version=1,
    title="QC report",
    key="case",
    columns=tuple(
        Column(c.key, c.header, c.width, accessor=lambda r, i=i: r[i], kind=c.kind)
        for i, c in enumerate(QC_REPORT_SPEC.columns)
    )
    + (
        Column("processed", "Processed (Y/N)", kind=Kind.YES_NO, editable=True, help="Y or N"),
        Column("when", "MMIS date", kind=Kind.DATE, editable=True, not_future=True),
        Column("token", "Row check", 4, accessor=lambda r: r[0], hidden=True),
    ),
)


def sample_rows(n: int):
    start = date(2024, 1, 1)
    for i in range(n):
        people = (0, 1, 0, 2, 0, 1)[i % 6] + 1
        names = "; ".join(f"Participant {i}-{j}" for j in range(people))
        yield (
            f"MCO-{i:06d}",
            start + timedelta(days=i % 700),
            i % 40,
            "MCT Span",
            "MCT Span",
            "Plan Selected in Error",
            "Escalated",
            names if i % 97 else "=HYPERLINK(1)",
            "; ".join(f"{i:09d}{j:02d}" for j in range(people)),
            "; ".join("***-**-6789" for _ in range(people)),
            "Bench MCO 1",
            "",
            "",
            "",
            "Bench CSR 3",
            "Bench team",
            i % 3,
            "No",
            "Yes",
            f"{names}/00000000001/***-**-6789/Bench MCO 1",
        )


def openpyxl_write_only(spec: SheetSpec, rows, out) -> int:
    """The writer as it was before (reports/sheets/writer.py at 3696ff2), features and all."""
    header_font = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F4E79")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.sheet_title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(spec.columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        dimension.hidden = column.hidden
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill = header_font, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    count = 0
    for obj in rows:
        cells = []
        for column in spec.columns:
            value = column.value_for(obj)
            if isinstance(value, str):
                value = neutralise(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if column.kind == Kind.DATE:
                cell.number_format = "mm/dd/yyyy"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    lists = workbook.create_sheet("Lists")
    lists.sheet_state = "hidden"
    lists.append(["Y"])
    lists.append(["N"])
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        if column.kind == Kind.YES_NO:
            dv = DataValidation(type="list", formula1="'Lists'!$A$1:$A$2", allow_blank=True)
        elif column.editable and column.kind == Kind.DATE:
            dv = DataValidation(
                type="date", operator="between", formula1="DATE(2000,1,1)", formula2="TODAY()"
            )
        else:
            continue
        dv.sqref = f"{letter}2:{letter}{count + 1}"
        sheet.data_validations.append(dv)
    about = workbook.create_sheet("About")
    about.sheet_state = "veryHidden"
    about.append(["report", spec.report_id])
    about.append(["version", spec.version])
    workbook.save(out)
    return count


def run_one(name: str, n: int) -> None:
    writer = {"openpyxl write-only": openpyxl_write_only, "XlsxWriter constant_memory": write_sheet}
    with tempfile.TemporaryFile() as out:
        start, cpu = time.perf_counter(), time.process_time()
        writer[name](SPEC, sample_rows(n), out)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = out.tell()
        # Before the read-back below, which holds the rows it reads.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if name.startswith("XlsxWriter") and n <= 20_000:  # our reader's row limit
            from django.test import override_settings

            from reports.sheets import read_sheet

            out.seek(0)
            with override_settings(SHEET_MAX_ROWS=n, UPLOAD_MAX_BYTES=size + 1):
                result = read_sheet(SPEC, io.BytesIO(out.read()))
            assert result.ok and len(result.rows) == n, result.errors
    print(
        f"| {name} | {n:,} | {elapsed:.1f} s | {n / elapsed:,.0f} | {n / cpu:,.0f} "
        f"| {size / 1e6:.1f} MB "
        f"| {peak:.0f} MB |"
    )


def main(n: int) -> None:
    print(
        f"| writer | rows × {len(SPEC.columns)} columns | time | rows/s | rows per CPU second "
        "| file | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in ("openpyxl write-only", "XlsxWriter constant_memory"):
        subprocess.run([sys.executable, __file__, "--one", name, str(n)], check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        run_one(sys.argv[2], int(sys.argv[3]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
