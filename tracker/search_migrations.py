"""Migration operations for the folded search columns (tracker.search_text): fill them for the
rows already there, and give PostgreSQL a trigram index on them. Other databases get the
column only: a plain LIKE scan is quick at their sizes."""

from django.db import migrations

from .search_text import fold

# Rows per executemany of the names folded in Python.
BATCH = 1_000


def backfill_folded(app_label: str, model_name: str, *, source: str, target: str):
    """RunPython filling `target` with fold(`source`) for every existing row.

    PostgreSQL: printable-ASCII names (all of them, in practice) are folded in SQL — lower(),
    trim and single spaces are exactly what fold() does to them — by rewriting the column
    (ALTER COLUMN ... TYPE ... USING): one pass over the table that rebuilds its indexes in
    bulk, about 7× quicker than an UPDATE of every row at a million cases (an UPDATE adds a new
    row version and an entry in every index, row by row). The few others are folded in Python.
    Elsewhere: Python for every row.
    """

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        quote = connection.ops.quote_name
        table, src, dst = quote(model._meta.db_table), quote(source), quote(target)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                column_type = model._meta.get_field(target).db_type(connection)
                cursor.execute(
                    f"ALTER TABLE {table} ALTER COLUMN {dst} TYPE {column_type} USING "
                    f"(CASE WHEN {src} ~ '^[ -~]*$' "
                    f"THEN regexp_replace(btrim(lower({src})), ' +', ' ', 'g') ELSE '' END)"
                )
                cursor.execute(f"SELECT id, {src} FROM {table} WHERE {src} !~ '^[ -~]*$'")
            else:
                cursor.execute(f"SELECT id, {src} FROM {table}")
            rows = [(fold(name), pk) for pk, name in cursor.fetchall()]
            for i in range(0, len(rows), BATCH):
                cursor.executemany(
                    f"UPDATE {table} SET {dst} = %s WHERE id = %s", rows[i : i + BATCH]
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
