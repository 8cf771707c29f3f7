"""Two indexes on the case transition logs for the MCO dashboard at a million cases (3.1 million
logs). The table is django-fsm-log's, so they are made here, in SQL that PostgreSQL and SQLite
both take (plain columns, not INCLUDE).

- (content type, timestamp) now carries each log's case, transition and state: the period
  figures (QC verdicts, State Monitor decisions, cases closed, the touched cases of time in
  state) read them from the index alone instead of thousands of the table's pages. It replaces
  0014's index, which it starts with.
- (content type, case, timestamp, id, state): whether an open outreach case ever entered outreach
  is one index-only probe (deadlines missed), where the case-id index read all of the case's logs
  from the table."""

from django.db import migrations

OLD, TIME, CASE = (
    "statelog_type_time_idx",
    "statelog_type_time_cover_idx",
    "statelog_type_case_time_idx",
)
TABLE = "django_fsm_log_statelog"


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_dashboard_statelog_timestamp")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {TIME} ON {TABLE} (content_type_id, timestamp, object_id, transition, state)",
            f"DROP INDEX {TIME}",
        ),
        migrations.RunSQL(
            f"DROP INDEX {OLD}", f"CREATE INDEX {OLD} ON {TABLE} (content_type_id, timestamp)"
        ),
        migrations.RunSQL(
            f"CREATE INDEX {CASE} ON {TABLE} (content_type_id, object_id, timestamp, id, state)",
            f"DROP INDEX {CASE}",
        ),
    ]
