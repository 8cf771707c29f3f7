"""Upgrading: `reports.0003_encrypt_uploads` encrypts the files kept in clear so far and masks
SSNs already stored in upload problems (issue 10)."""

import stat

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reports.models import Upload

CLEAR = b"PK\x03\x04 a hand-off kept before encryption, 123-45-6789"


@pytest.mark.django_db(transaction=True)
def test_it_encrypts_files_kept_in_clear_and_masks_stored_problems(media_root):
    before, after = (
        [("reports", "0002_upload_assister_report")],
        [("reports", "0003_encrypt_uploads")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("tracker", "User").objects.create(username="legacy")
    path = media_root / "uploads" / "state-monitor-handoff" / "legacy.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(CLEAR)
    old.get_model("reports", "Upload").objects.create(
        report_id="state-monitor-handoff",
        original_name="legacy.xlsx",
        uploaded_by_id=user.pk,
        file="uploads/state-monitor-handoff/legacy.xlsx",
        errors=["Row 2, “Processed in MMIS (Y/N)”: must be Y or N, not “123-45-6789”."],
    )

    try:
        MigrationExecutor(connection).migrate(after)
        kept = Upload.objects.only("file", "errors").get()  # later columns do not exist yet
        assert b"6789" not in path.read_bytes()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with kept.file.open("rb") as stored:
            assert stored.read() == CLEAR
        assert kept.errors == [
            "Row 2, “Processed in MMIS (Y/N)”: must be Y or N, not “***-**-6789”."
        ]

        MigrationExecutor(connection).migrate(before)
        assert path.read_bytes() == CLEAR
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
