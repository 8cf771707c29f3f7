"""The folded name columns: filled on save, and by the migration for rows already there — the
SQL path on PostgreSQL giving exactly what fold() gives."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from cases.models import Participant
from tracker.search_migrations import backfill_folded
from tracker.search_text import fold

NAMES = [
    "  Tom   BECKER ",
    "María López",
    "Ｊｏｓé\u0301 Ø. Strauß",
    "Ahmed\tWarsame",
    "o'neil-smith",
]


def test_fold_strips_case_accents_and_extra_spaces():
    assert fold("  María   LÓPEZ ") == "maria lopez"
    assert fold("Ｊｏｓé") == "jose"
    assert fold("") == ""


@pytest.mark.django_db
def test_save_fills_the_column_and_follows_a_renamed_participant(log_case):
    case = log_case(
        participants=[Participant(name="María López", ma_number="10000000001", ssn="123456789")]
    )
    person = case.participants.get()
    assert person.name_search == "maria lopez"
    person.name = "Marïa Lopez-Díaz"
    person.save(update_fields=["name"])
    person.refresh_from_db()
    assert person.name_search == "maria lopez-diaz"


@pytest.mark.django_db
def test_the_migration_backfills_existing_rows_as_fold_would(log_case):
    case = log_case(
        participants=[
            Participant(name=name, ma_number=f"1000000000{i}", ssn=f"12345678{i}")
            for i, name in enumerate(NAMES, start=1)
        ]
    )
    Participant.objects.filter(case=case).update(name_search="")
    if connection.vendor == "postgresql":
        # A migration runs with no rows just written; the test's inserts leave deferred
        # foreign-key checks pending, and PostgreSQL alters no table with those.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    operation = backfill_folded("cases", "participant", source="name", target="name_search")
    # The operation reads only the editor's connection (a real SQLite schema editor cannot
    # open inside the test's transaction).
    operation.code(apps, SimpleNamespace(connection=connection))
    assert {p.name: p.name_search for p in case.participants.all()} == {
        name: fold(name) for name in NAMES
    }
