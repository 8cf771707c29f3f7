"""The production environment the README documents, for tests that run the app as deployed.

Every variable here must be named in the README's "Production" section (a test checks), so the
documented environment and the tested one cannot drift apart."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "0",
    # A made-up key of the length and variety `check --deploy` asks for; never a real one.
    "SECRET_KEY": "test-only-0f3c9a7e1b5d4c2a8e6f0b9d7c5a3e1f2468ace13579bdf-production",
    "ALLOWED_HOSTS": "tracker.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://tracker.example.org",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "SITE_URL": "https://tracker.example.org",
    # Made-up keys of the right shape (test-only): DEBUG=0 refuses to start without them.
    "FIELD_ENCRYPTION_KEYS": "dGVzdC1vbmx5LXByb2R1Y3Rpb24ta2V5LTAwMDAwMDA=",
    "BLIND_INDEX_KEY": "test-only-blind-index-key-for-the-production-env",
}
ORIGIN = "https://tracker.example.org"
HOST = "tracker.example.org"


def production_settings(monkeypatch, **extra_env) -> dict:
    """tracker/settings.py evaluated afresh under the production environment (plus extra_env)."""
    for name in list(os.environ):
        if name in PRODUCTION_ENV or name in extra_env:
            monkeypatch.delenv(name)
    for name, value in {**PRODUCTION_ENV, **extra_env}.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(Path(settings.BASE_DIR) / "tracker" / "settings.py"))
    return {name: value for name, value in values.items() if name.isupper()}


def manage(*args: str, env: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with only `env` (and a throw-away SQLite file)."""
    base = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    full_env = {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
