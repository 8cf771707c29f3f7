"""Encrypt every participant's SSN in place and fill its blind index
(docs/decisions/0001-field-encryption.md). Reversible: unapplying decrypts them again."""

import cases.validators
import tracker.fields
from django.db import migrations, models

BATCH = 500


def _rewrite(Participant, change):
    """Apply `change(raw ssn) -> (new ssn, new index)` to every row, in pk batches."""
    last = 0
    while True:
        rows = list(
            Participant.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "ssn")[:BATCH]
        )
        if not rows:
            return
        for pk, raw in rows:
            changed = change(raw)
            if changed is not None:
                ssn, index = changed
                Participant.objects.filter(pk=pk).update(ssn=ssn, ssn_index=index)
        last = rows[-1][0]


def encrypt_ssns(apps, schema_editor):
    from tracker import crypto

    def encrypt(raw):
        if raw is None or len(raw) > 9:
            return None  # already a token (a re-run), never encrypted twice
        return crypto.encrypt_text(raw), crypto.blind_index(raw, purpose="ssn") if raw else ""

    _rewrite(apps.get_model("cases", "Participant"), encrypt)


def decrypt_ssns(apps, schema_editor):
    from tracker import crypto

    def decrypt(raw):
        if raw is None or len(raw) <= 9:
            return None
        return crypto.decrypt_text(raw), ""

    _rewrite(apps.get_model("cases", "Participant"), decrypt)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_role_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="ssn_index",
            field=tracker.fields.BlindIndexField(
                purpose="ssn", source="ssn", verbose_name="SSN blind index"
            ),
        ),
        # A token is far longer than 9 digits: widen the column first, as plain text, so the
        # data step reads and writes raw values.
        migrations.AlterField(
            model_name="participant",
            name="ssn",
            field=models.TextField(verbose_name="SSN"),
        ),
        migrations.RunPython(encrypt_ssns, decrypt_ssns, elidable=False),
        migrations.AlterField(
            model_name="participant",
            name="ssn",
            field=tracker.fields.EncryptedCharField(
                max_length=9, validators=[cases.validators.validate_ssn], verbose_name="SSN"
            ),
        ),
    ]
