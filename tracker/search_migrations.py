"""Migration operations for the folded search columns (tracker.search_text): fill them for the
rows already there, and give PostgreSQL a trigram index on them. Other databases get the
column only: a plain LIKE scan is quick at their sizes."""

from django.db import migrations

from .search_text import fold

# Rows per UPDATE: one statement per range keeps each one short and the progress visible.
BATCH = 200_000


def backfill_folded(app_label: str, model_name: str, *, source: str, target: str):
    """RunPython filling `target` with fold(`source`) for every existing row.

    PostgreSQL: printable-ASCII names (all of them, in practice) are folded in SQL, batch by
    batch of primary keys — lower(), trim and single spaces are exactly what fold() does to
    them; the few others are folded in Python. Elsewhere: Python for every row.
    """

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        table = connection.ops.quote_name(model._meta.db_table)
        src, dst = connection.ops.quote_name(source), connection.ops.quote_name(target)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT min(id), max(id) FROM {table}")
                low, high = cursor.fetchone()
                start = low or 0
                while high is not None and start <= high:
                    cursor.execute(
                        f"UPDATE {table} SET {dst} = regexp_replace(btrim(lower({src})), ' +', "
                        f"' ', 'g') WHERE id >= %s AND id < %s AND {src} ~ '^[ -~]*$'",
                        [start, start + BATCH],
                    )
                    start += BATCH
                cursor.execute(
                    f"SELECT id, {src} FROM {table} WHERE {dst} = '' AND {src} !~ '^[ -~]*$'"
                )
            else:
                cursor.execute(f"SELECT id, {src} FROM {table}")
            rows = [(fold(name), pk) for pk, name in cursor.fetchall()]
            for i in range(0, len(rows), 1000):
                cursor.executemany(
                    f"UPDATE {table} SET {dst} = %s WHERE id = %s", rows[i : i + 1000]
                )

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


def trigram_index(table: str, column: str, name: str):
    """RunPython creating a pg_trgm GIN index on PostgreSQL (nothing elsewhere), so that
    `column LIKE '%text%'` is answered from the index instead of a scan of the table.
    pg_trgm ships with PostgreSQL and is a trusted extension: the database owner may create it.
    """

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(forwards, backwards)
