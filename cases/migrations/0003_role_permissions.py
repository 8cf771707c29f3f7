from django.db import migrations

from tracker.roles import grant_permissions


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial"), ("tracker", "0002_roles")]

    operations = [
        migrations.RunPython(grant_permissions("cases"), migrations.RunPython.noop),
    ]
