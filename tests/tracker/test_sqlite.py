"""SQLite as a real embedded default (issue 11): WAL, a busy timeout and IMMEDIATE transactions,
so a handful of people writing at once wait their turn instead of seeing "database is locked"."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# One process of several writing at once: each transaction reads a counter, then writes it back
# plus one. With deferred transactions two readers both try to upgrade and one fails at once.
WRITER = """
import sys, time, django
django.setup()
from django.db import connection, transaction
for _ in range(int(sys.argv[1])):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            (n,) = cursor.fetchone()
            time.sleep(0.002)
            cursor.execute("UPDATE counter SET n = %s", [n + 1])
"""


def _env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "tracker.settings"}


def _options(database_url: str, **env):
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from tracker import settings; "
            "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))",
        ],
        env={**_env(database_url), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_it_sets_wal_a_busy_timeout_and_immediate_transactions_only_for_sqlite(tmp_path):
    options = _options(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "PRAGMA journal_mode=WAL" in options["init_command"]
    # PostgreSQL gets none of them; only JIT compilation off (tracker/settings.py, issue 12),
    # unless DATABASE_JIT=1.
    postgres = "postgres://someone@127.0.0.1:5432/somewhere"
    assert _options(postgres) == {"options": "-c jit=off"}
    assert _options(postgres, DATABASE_JIT="1") == {}


def test_it_lets_three_processes_write_at_once_without_database_is_locked(tmp_path):
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        db.execute("INSERT INTO counter VALUES (0)")
    per_process = 40
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(per_process)],
            env=_env(f"sqlite:///{path}"),
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    errors = [writer.communicate(timeout=120)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0, 0], errors
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT n FROM counter").fetchone() == (3 * per_process,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
