"""Keep each participant's SSN last four digits in clear beside the encrypted SSN, so masked
displays (the QC report) never decrypt (issue 12), and fill it for every existing row."""

import tracker.fields
from django.db import migrations

BATCH = 2000


def fill_last4(apps, schema_editor):
    # The historical model's `ssn` is the encrypting field: reading it decrypts.
    Participant = apps.get_model("cases", "Participant")
    last = 0
    while True:
        rows = list(
            Participant.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "ssn", "ssn_last4")[:BATCH]
        )
        if not rows:
            return
        for row in rows:
            row.ssn_last4 = "".join(c for c in row.ssn or "" if c.isdigit())[-4:]
        Participant.objects.bulk_update(rows, ["ssn_last4"])
        last = rows[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0008_search_and_duplicates"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="ssn_last4",
            field=tracker.fields.ClearSuffixField(
                source="ssn", verbose_name="SSN last four digits"
            ),
        ),
        migrations.RunPython(fill_last4, migrations.RunPython.noop, elidable=True),
    ]
