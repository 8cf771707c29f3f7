"""The identifier access log is append-only in the database too (MARS-E AU-9).

On PostgreSQL a row-level trigger refuses UPDATE and DELETE on the table, whoever connects
(the app, a superuser in the admin, psql). TRUNCATE is not a row operation: `flush` (and
pytest-django's transactional tests) still empty the table. A GIN index serves the access-log
page's "which case" filter (`object_ids @> '[id]'`).

SQLite gets no trigger: `flush` runs DELETE there, and a trigger would break it. The model and
its queryset refuse changes on every database.
"""

from django.db import migrations, models

TABLE = "tracker_identifieraccess"

FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{TABLE} is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()
    """,
    f"CREATE INDEX IF NOT EXISTS {TABLE}_object_ids_gin ON {TABLE} "
    "USING gin (object_ids jsonb_path_ops)",
]
BACKWARD = [
    f"DROP INDEX IF EXISTS {TABLE}_object_ids_gin",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_roles")]

    operations = [
        migrations.AlterField(
            model_name="identifieraccess",
            name="object_ids",
            field=models.JSONField(default=list, help_text="Primary keys of the cases shown"),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
