from django.db import migrations

from tracker.roles import grant_permissions


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_counties"), ("tracker", "0002_roles")]

    operations = [
        migrations.RunPython(grant_permissions("referrals"), migrations.RunPython.noop),
    ]
