"""Issue 10: the raw database holds no SSN of the demo data in clear text — the SQLite file's
bytes, and a pg_dump of the whole PostgreSQL database."""

import os
import shutil
import sqlite3
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from cases.demo import PEOPLE
from cases.models import Participant
from cases.validators import format_ssn

# Committed, so pg_dump sees it.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("debug_on")]


def demo_ssns() -> list[str]:
    return sorted({ssn for _name, _ma, ssn in PEOPLE})


def clear_ssns_in(data: bytes) -> list[str]:
    return [ssn for ssn in demo_ssns() if ssn.encode() in data or format_ssn(ssn).encode() in data]


def load_demo() -> None:
    call_command("demo", stdout=StringIO())
    # The demo really holds these SSNs, and the app reads them back in clear.
    assert sorted({p.ssn for p in Participant.objects.all()}) == demo_ssns()


def test_it_keeps_no_demo_ssn_in_clear_in_the_sqlite_file(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant; PostgreSQL is scanned through pg_dump")
    load_demo()
    copy = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(copy) as target:  # the test database lives in memory: copy its pages
        connection.connection.backup(target)

    data = copy.read_bytes()

    assert b"10000000001" in data  # the scan reads the rows (MA numbers are not encrypted)
    assert clear_ssns_in(data) == []


def test_it_keeps_no_demo_ssn_in_clear_in_a_postgresql_dump():
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL variant; SQLite is scanned as a file")
    pg_dump = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
    load_demo()
    db = connection.settings_dict
    command = [pg_dump, "--dbname", db["NAME"], "--host", db["HOST"] or "127.0.0.1"]
    command += ["--port", str(db["PORT"] or 5432), "--username", db["USER"] or "postgres"]

    dump = subprocess.run(
        command,
        env={**os.environ, "PGPASSWORD": db["PASSWORD"] or ""},
        capture_output=True,
        check=True,
        timeout=300,
    ).stdout

    assert b"10000000001" in dump  # the dump holds the rows (MA numbers are not encrypted)
    assert clear_ssns_in(dump) == []
