"""The default storage keeps every file under MEDIA_ROOT encrypted and owner-only (issue 10)."""

import stat

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tracker import crypto
from tracker.storage import decrypt_file_in_place, encrypt_file_in_place

CLEAR = b"PK\x03\x04 a workbook with 123-45-6789 in it"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_it_writes_ciphertext_mode_0600_and_reads_back_the_clear_bytes(media_root):
    name = default_storage.save("uploads/x/sheet.xlsx", ContentFile(CLEAR))
    path = media_root / name

    assert b"123-45-6789" not in path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with default_storage.open(name) as opened:
        assert opened.read() == CLEAR
    assert default_storage.size(name) == len(CLEAR)


def test_it_refuses_to_open_a_file_for_writing():
    name = default_storage.save("uploads/sheet.xlsx", ContentFile(CLEAR))

    for mode in ("wb", "ab", "r+b"):
        with pytest.raises(ValueError, match="never opened for writing"):
            default_storage.open(name, mode)


def test_it_refuses_a_file_that_was_tampered_with(media_root):
    name = default_storage.save("uploads/sheet.xlsx", ContentFile(CLEAR))
    path = media_root / name
    data = bytearray(path.read_bytes())
    data[50] = ord("A") if data[50] != ord("A") else ord("B")
    path.write_bytes(bytes(data))

    with pytest.raises(crypto.DecryptionError):
        default_storage.open(name)


def test_it_rotates_a_file_to_the_first_key(settings, media_root):
    name = default_storage.save("uploads/sheet.xlsx", ContentFile(CLEAR))
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]

    assert default_storage.rotate(name) is True
    assert default_storage.rotate(name) is False  # already done: nothing to do again
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    with default_storage.open(name) as opened:
        assert opened.read() == CLEAR
    assert stat.S_IMODE((media_root / name).stat().st_mode) == 0o600
    assert [p.name for p in (media_root / "uploads").iterdir()] == ["sheet.xlsx"]  # no leftovers


def test_it_encrypts_a_file_kept_in_clear_before_and_can_undo_it(media_root):
    path = media_root / "uploads" / "legacy.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(CLEAR)

    assert encrypt_file_in_place(path) is True
    assert encrypt_file_in_place(path) is False  # never twice
    assert b"123-45-6789" not in path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with default_storage.open("uploads/legacy.xlsx") as opened:
        assert opened.read() == CLEAR
    assert decrypt_file_in_place(path) is True
    assert path.read_bytes() == CLEAR
