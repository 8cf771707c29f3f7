from django.db import migrations

from referrals.counties import ensure_counties


def load(apps, schema_editor):
    ensure_counties(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
