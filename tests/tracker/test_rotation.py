"""`manage.py rotate_encryption_keys`: after it, the old key can go (issue 10)."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from cases.models import Participant
from reports.models import Upload
from tracker import crypto, rotation

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
SHEET = b"PK\x03\x04 kept sheet with 123-45-6789"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def under_old_key(settings, log_case, monitor):
    """Three participants and a kept upload file, all encrypted under OLD."""
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    for ssn in ("123456789", "223456782", "323456783"):
        log_case(participants=[Participant(name=ssn, ma_number="10000000001", ssn=ssn)])
    name = default_storage.save("uploads/kept.xlsx", ContentFile(SHEET))
    Upload.objects.create(report_id="r", original_name="kept.xlsx", uploaded_by=monitor, file=name)
    return name


def everything_reads(name) -> bool:
    ssns = sorted(p.ssn for p in Participant.objects.all())
    with default_storage.open(name) as kept:
        return ssns == ["123456789", "223456782", "323456783"] and kept.read() == SHEET


def rotate(**options) -> str:
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out, **options)
    return out.getvalue()


def test_it_lets_the_old_key_go_after_rotation(settings, under_old_key):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert everything_reads(under_old_key)  # a new first key: old data still reads

    output = rotate(batch_size=2)

    assert "cases.Participant rows: 2/3 checked" in output  # progress, batch by batch
    assert "cases.Participant rows: 3 checked, 3 changed" in output
    assert "reports.Upload files: 1 checked, 1 changed" in output
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert everything_reads(under_old_key)
    assert [p.name for p in Participant.objects.with_ssn("223-45-6782")] == ["223456782"]


def test_it_cannot_read_old_data_without_the_old_key_before_rotation(settings, under_old_key):
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    with pytest.raises(crypto.DecryptionError):
        list(Participant.objects.all())


def test_it_finishes_an_interrupted_rotation_when_run_again(settings, under_old_key, monkeypatch):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    real_rotate = crypto.rotate_bytes
    calls = []

    def dies_on_the_second_row(token):
        calls.append(token)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the operator's Ctrl-C, the server's restart
        return real_rotate(token)

    monkeypatch.setattr(crypto, "rotate_bytes", dies_on_the_second_row)
    with pytest.raises(KeyboardInterrupt):
        rotate(batch_size=1)
    monkeypatch.setattr(crypto, "rotate_bytes", real_rotate)
    assert everything_reads(under_old_key)  # half-rotated data reads with both keys

    output = rotate(batch_size=1)

    assert "cases.Participant rows: 3 checked, 2 changed" in output  # the first row was done
    assert "Participant rows: 3 checked, 0 changed" in rotate()  # and a third run does nothing
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert everything_reads(under_old_key)


def test_it_reindexes_after_a_new_blind_index_key(settings, under_old_key):
    settings.BLIND_INDEX_KEY = "a-new-blind-index-key-of-at-least-32-characters"
    assert not Participant.objects.with_ssn("123456789").exists()  # stale until re-indexed

    rotate()

    assert [p.name for p in Participant.objects.with_ssn("123456789")] == ["123456789"]


def test_it_reports_a_kept_file_missing_from_disk(settings, under_old_key, media_root):
    (media_root / under_old_key).unlink()
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    results = rotation.rotate_everything()

    (files,) = [r for r in results if r.label == "reports.Upload files"]
    assert (files.checked, files.changed, files.missing) == (1, 0, 1)
