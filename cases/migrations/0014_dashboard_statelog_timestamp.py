"""The MCO dashboard (issue 16) reads a period's transition logs: without an index on their time
every figure scanned the whole log table (251,000 rows at 100,000 cases: 200 ms a scan, four
scans a page). The table is django-fsm-log's, so the index is made here, in SQL that PostgreSQL
and SQLite both take."""

from django.db import migrations

INDEX = "statelog_type_time_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_qc_team_kind_index"),
        ("django_fsm_log", "0005_description_null"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON django_fsm_log_statelog (content_type_id, timestamp)",
            f"DROP INDEX {INDEX}",
        ),
    ]
