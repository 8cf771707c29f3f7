"""Start-up with and without the encryption keys (issue 10: refuse without keys when DEBUG is
off; say loudly that development keys are in use when it is on)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from tracker.settings import env_fernet_keys, env_secret

ROOT = Path(__file__).resolve().parents[2]
KEY_VARIABLES = ("FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY")


def manage_check(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in KEY_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, "SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_without_keys_when_debug_is_off():
    result = manage_check(DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY must be set" in result.stderr
    assert "Fernet.generate_key()" in result.stderr  # says how to make one


def test_it_refuses_to_start_with_only_one_key_when_debug_is_off():
    result = manage_check(DEBUG="0", FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode())

    assert result.returncode != 0
    assert "BLIND_INDEX_KEY must be set" in result.stderr


def test_it_starts_with_keys_when_debug_is_off():
    result = manage_check(
        DEBUG="0",
        FIELD_ENCRYPTION_KEYS=f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
        BLIND_INDEX_KEY=Fernet.generate_key().decode(),
    )

    assert result.returncode == 0, result.stderr
    assert "tracker.W001" not in result.stderr


def test_it_starts_with_a_loud_warning_on_development_keys_when_debug_is_on():
    result = manage_check(DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert "tracker.W001" in result.stderr and "DEVELOPMENT keys" in result.stderr


def test_it_refuses_a_malformed_key_without_echoing_it(monkeypatch):
    good = Fernet.generate_key().decode()
    monkeypatch.setenv("KEYS", f"{good},not-a-real-key")

    with pytest.raises(ImproperlyConfigured, match="key 2 of 2 is not a Fernet key") as refused:
        env_fernet_keys("KEYS")
    assert "not-a-real-key" not in str(refused.value)
    monkeypatch.setenv("KEYS", f" {good} ")
    assert env_fernet_keys("KEYS") == [good]


def test_it_refuses_a_short_blind_index_key(monkeypatch):
    monkeypatch.setenv("SECRET", "short")
    with pytest.raises(ImproperlyConfigured, match="at least 32 characters"):
        env_secret("SECRET", min_length=32)
    monkeypatch.delenv("SECRET")
    assert env_secret("SECRET", min_length=32) == ""
