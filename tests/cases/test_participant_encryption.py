"""Participant.ssn is encrypted at rest and found through a keyed blind index (issue 10)."""

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.models import Participant
from tracker import crypto


def raw_row(participant) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ssn, ssn_index FROM cases_participant WHERE id = %s", [participant.pk]
        )
        return cursor.fetchone()


def test_it_stores_the_ssn_encrypted_and_reads_it_back_in_clear(log_case):
    case = log_case(participants=[Participant(name="A", ma_number="10000000001", ssn="123456789")])
    participant = case.participants.get()

    stored, index = raw_row(participant)

    assert "6789" not in stored
    assert crypto.decrypt_text(stored) == "123456789"
    assert Participant.objects.get(pk=participant.pk).ssn == "123456789"
    assert participant.ssn_masked == "***-**-6789"
    assert index == crypto.blind_index("123456789", purpose="ssn")


def test_it_finds_participants_by_ssn_in_any_format(log_case):
    maria = Participant(name="Maria", ma_number="10000000001", ssn="123456789")
    james = Participant(name="James", ma_number="10000000002", ssn="223456782")
    log_case(participants=[maria, james])
    log_case(participants=[Participant(name="Maria", ma_number="10000000001", ssn="123456789")])

    for typed in ("123456789", "123-45-6789", " 123 45 6789 "):
        assert [p.name for p in Participant.objects.with_ssn(typed)] == ["Maria", "Maria"]
    assert [p.name for p in Participant.objects.with_ssn("223-45-6782")] == ["James"]
    assert not Participant.objects.with_ssn("323-45-6783").exists()


@pytest.mark.parametrize("update_fields", [None, ["ssn"]])
def test_it_keeps_the_blind_index_in_step_when_the_ssn_changes(log_case, update_fields):
    participant = log_case().participants.get()

    participant.ssn = "223-45-6782"
    participant.save(update_fields=update_fields)

    assert list(Participant.objects.with_ssn("223456782")) == [participant]
    assert not Participant.objects.with_ssn("123456789").exists()
    assert crypto.decrypt_text(raw_row(participant)[0]) == "223456782"


def test_it_refuses_to_filter_on_the_encrypted_column(db):
    with pytest.raises(FieldError, match="blind index"):
        Participant.objects.filter(ssn="123456789").exists()


def test_it_fails_loudly_when_the_stored_ssn_was_altered(log_case):
    participant = log_case().participants.get()
    stored, _ = raw_row(participant)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_participant SET ssn = %s WHERE id = %s",
            [stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:], participant.pk],
        )

    with pytest.raises(crypto.DecryptionError):
        Participant.objects.get(pk=participant.pk)


@pytest.mark.django_db(transaction=True)
def test_it_encrypts_existing_rows_when_migrating_and_decrypts_them_when_unapplied():
    executor = MigrationExecutor(connection)
    # After: the latest cases migration (0004_encrypt_ssn and every one since), so that the
    # current Participant model, read below, matches the table.
    before = [("cases", "0003_role_permissions")]
    after = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "cases"]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("tracker", "User").objects.create(username="legacy")
    case = old.get_model("cases", "Case").objects.create(kind="mct_span", csr_id=user.pk)
    old.get_model("cases", "Participant").objects.create(
        case_id=case.pk, name="Legacy", ma_number="10000000001", ssn="123456789"
    )

    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        participant = Participant.objects.get()
        stored, index = raw_row(participant)
        assert "6789" not in stored and crypto.decrypt_text(stored) == "123456789"
        assert participant.ssn == "123456789" and participant.ssn_last4 == "6789"
        assert list(Participant.objects.with_ssn("123-45-6789")) == [participant]

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        with connection.cursor() as cursor:
            cursor.execute("SELECT ssn FROM cases_participant")
            assert cursor.fetchall() == [("123456789",)]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
