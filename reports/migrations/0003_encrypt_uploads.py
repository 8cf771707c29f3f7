"""Encryption at rest for uploads (docs/decisions/0001-field-encryption.md): encrypt the files
kept so far in place (mode 0600), mask SSNs already stored in upload problems and previews, and
record when a kept file is deleted. Unapplying decrypts the files again (the masking stays)."""

from pathlib import Path

import tracker.fields
from django.db import migrations, models

BATCH = 500


def _kept_files(Upload):
    from django.core.files.storage import default_storage

    for name in Upload.objects.exclude(file="").values_list("file", flat=True).iterator(BATCH):
        path = Path(default_storage.path(name))
        if path.exists():
            yield path


def encrypt_kept_files(apps, schema_editor):
    from tracker.redact import redact_ssns
    from tracker.storage import encrypt_file_in_place

    Upload = apps.get_model("reports", "Upload")
    for path in _kept_files(Upload):
        encrypt_file_in_place(path)
    # Saving through RedactedJSONField masks what earlier uploads stored in clear.
    for upload in Upload.objects.order_by("pk").iterator(BATCH):
        upload.original_name = redact_ssns(upload.original_name)
        upload.save(update_fields=["original_name", "errors", "preview"])


def decrypt_kept_files(apps, schema_editor):
    from tracker.storage import decrypt_file_in_place

    for path in _kept_files(apps.get_model("reports", "Upload")):
        decrypt_file_in_place(path)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_upload_assister_report"),
    ]

    operations = [
        migrations.AddField(
            model_name="upload",
            name="file_deleted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="upload",
            name="errors",
            field=tracker.fields.RedactedJSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name="upload",
            name="preview",
            field=tracker.fields.RedactedJSONField(blank=True, default=list),
        ),
        migrations.RunPython(encrypt_kept_files, decrypt_kept_files, elidable=False),
    ]
