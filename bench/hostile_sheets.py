"""Hostile spreadsheets against the upload reader (issue 11; not run by CI, not a timed test).

    .venv/bin/python bench/hostile_sheets.py

Each case is built in memory as a hand-off sheet an attacker could upload (under the 5 MB
limit), then read in a fresh subprocess by `read_sheet(HANDOFF_SPEC, ...)` — the step every
upload goes through before any row is looked up. The child reports the wall time of the read
and its peak resident memory (VmHWM: the whole process, Django and the file included) and how
far that is above what it had before reading. Targets: each
hostile file refused in under 2 s and under 200 MB. A legitimate sheet at the row limit
(20,000 rows) is read as a control: it is not refused, and shows what a full upload costs.
"""

import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

TARGET_SECONDS, TARGET_MB = 2.0, 200


def _setup():
    import django

    django.setup()


def _template() -> bytes:
    """A real, empty hand-off sheet as the app writes it (header, About and Lists sheets)."""
    from reports.handoff import HANDOFF_SPEC
    from reports.sheets import write_sheet

    out = io.BytesIO()
    write_sheet(HANDOFF_SPEC, [], out)
    return out.getvalue()


def _with_rows(rows_xml, *, level: int = 9) -> bytes:
    """The template with `rows_xml` (bytes, or an iterable of bytes) after the header row."""
    template = _template()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target,
    ):
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                head, tail = content.split(b"</row>", 1)
                with target.open(member.filename, "w", force_zip64=True) as part:
                    part.write(head + b"</row>")
                    chunks = [rows_xml] if isinstance(rows_xml, bytes) else rows_xml
                    for chunk in chunks:
                        part.write(chunk)
                    part.write(tail)
            else:
                target.writestr(member.filename, content)
    return out.getvalue()


def million_rows() -> bytes:
    # Rows without r="" attributes (they are optional): an unknown case number on each, as in
    # the attack; ~55 MB of XML packs to ~2.4 MB, well inside the zip-ratio guard.
    def rows():
        for start in range(2, 1_000_002, 10_000):
            yield b"".join(
                b'<row><c t="inlineStr"><is><t>MCO-%d</t></is></c></row>' % n
                for n in range(start, start + 10_000)
            )

    return _with_rows(rows())


def ten_mb_cell() -> bytes:
    digits = "".join(random.Random(11).choices("0123456789", k=10 * 1024 * 1024)).encode()
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + digits + b"</t></is></c></row>"
    return _with_rows(row)


def five_hundred_columns() -> bytes:
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(n).encode() for n in range(1, 501)]

    def rows():
        for n in range(2, 2_002):
            yield (
                b'<row r="%d">' % n
                + b"".join(b'<c r="%s%d"><v>%d</v></c>' % (letter, n, n) for letter in letters)
                + b"</row>"
            )

    return _with_rows(rows())


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with zipfile.ZipFile(io.BytesIO(_template())) as source:
            for member in source.infolist():
                if member.filename != "xl/worksheets/sheet1.xml":
                    archive.writestr(member.filename, source.read(member.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1024 * 1024)
            for _ in range(1024):  # 1 GB of zeros, about 1 MB packed
                part.write(block)
    return out.getvalue()


def far_away_cell() -> bytes:
    # One cell at Excel's last row and column: python-calamine would build a grid of ~17 billion
    # cells up to it and abort the process; the guard refuses the reference first.
    return _with_rows(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def far_away_column() -> bytes:
    # Within the row limit, at Excel's last column: the same grid problem, sideways.
    return _with_rows(b'<row r="3"><c r="XFD3"><v>1</v></c></row>')


def rows_at_the_limit() -> bytes:
    from django.conf import settings

    def rows():
        for n in range(2, settings.SHEET_MAX_ROWS + 2):
            yield (
                b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>MCO-%d</t></is></c>'
                b'<c r="L%d" t="inlineStr"><is><t>N</t></is></c>'
                b'<c r="O%d" t="inlineStr"><is><t>Not found in MMIS</t></is></c></row>'
                % (n, n, n, n, n)
            )

    return _with_rows(rows())


CASES = {
    "1,000,000 rows": million_rows,
    "a 10 MB cell": ten_mb_cell,
    "500 columns": five_hundred_columns,
    "zip bomb (1 GB of zeros)": zip_bomb,
    "a cell at XFD1048576": far_away_cell,
    "a cell at XFD3": far_away_column,
    "control: 20,000 rows (the limit)": rows_at_the_limit,
}


def _memory_kb(field: str) -> int:
    # /proc's high-water mark belongs to this process image; ru_maxrss would carry the
    # parent's peak across exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(path: str) -> None:
    """Read one file and print what it cost, as JSON."""
    _setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.handoff import HANDOFF_SPEC
    from reports.sheets import read_sheet

    data = Path(path).read_bytes()
    upload = SimpleUploadedFile("hostile.xlsx", data)
    before = _memory_kb("VmRSS")
    started = time.perf_counter()
    result = read_sheet(HANDOFF_SPEC, upload)
    seconds = time.perf_counter() - started
    peak = _memory_kb("VmHWM")  # this process's peak resident memory, file and Django included
    refused = not result.rows
    message = next(iter(result.errors)).message if result.errors else ""
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak / 1024,
                "growth_mb": (peak - before) / 1024,
                "refused": refused,
                "rows": len(result.rows),
                "problems": len(result.errors),
                "message": message,
            }
        )
    )


def main() -> None:
    _setup()
    from django.conf import settings

    print(
        f"Upload limit {settings.UPLOAD_MAX_BYTES / 1024 / 1024:.0f} MB, row limit "
        f"{settings.SHEET_MAX_ROWS:,}; targets: refused in < {TARGET_SECONDS} s and "
        f"< {TARGET_MB} MB\n"
    )
    header = f"{'case':34} {'file':>8} {'seconds':>8} {'peak MB':>8} {'+MB':>6}  outcome"
    print(header)
    print("-" * len(header))
    for name, make in CASES.items():
        data = make()
        with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
            handle.write(data)
        try:
            output = subprocess.run(
                [sys.executable, __file__, "--child", handle.name],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        finally:
            os.unlink(handle.name)
        figures = json.loads(output.strip().splitlines()[-1])
        if figures["refused"]:
            ok = figures["seconds"] < TARGET_SECONDS and figures["peak_mb"] < TARGET_MB
            outcome = f"{'OK ' if ok else 'SLOW'} refused: {figures['message'][:60]}"
        else:
            outcome = f"read {figures['rows']:,} rows, {figures['problems']:,} problems"
        print(
            f"{name:34} {len(data) / 1024 / 1024:7.2f}M {figures['seconds']:8.2f} "
            f"{figures['peak_mb']:8.0f} {figures['growth_mb']:6.0f}  {outcome}"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    else:
        main()
