import pytest
from django.core.exceptions import ImproperlyConfigured

from tracker.settings import env_bool, env_int


def test_it_reads_booleans_and_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", False)


def test_it_reads_integers_and_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("NUMBER", "12")
    assert env_int("NUMBER", 3) == 12
    monkeypatch.setenv("NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="NUMBER"):
        env_int("NUMBER", 3)
