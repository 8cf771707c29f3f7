"""The case exports' participant columns (reports.export_rows): on PostgreSQL read with each case
as one array, elsewhere grouped in Python; both give each case's participants in entry order."""

import pytest
from django.db import connection

from cases.models import Case, Participant
from reports.export_rows import NOBODY, People, case_values


def people_of(cases, *, full_ssn):
    queryset = Case.objects.filter(pk__in=[case.pk for case in cases]).order_by("pk")
    return {row["pk"]: people for row, people in case_values(queryset, ["pk"], full_ssn=full_ssn)}


@pytest.mark.parametrize("full_ssn", [False, True])
def test_it_lists_each_cases_participants_in_the_order_they_were_entered(log_case, full_ssn):
    people = [
        Participant(name="Zed Ortiz", ma_number="30000000003", ssn="333224444"),
        Participant(name="Amy Chen", ma_number="10000000001", ssn="111223333"),
        Participant(name="Mo Farah", ma_number="20000000002", ssn="222335555"),
    ]
    family = log_case(participants=people)
    alone = log_case()

    rows = people_of([family, alone], full_ssn=full_ssn)

    names = ["Zed Ortiz", "Amy Chen", "Mo Farah"]
    ma_numbers = ["30000000003", "10000000001", "20000000002"]
    if full_ssn:
        assert rows[family.pk] == People(
            names, ma_numbers, ["333-22-4444", "111-22-3333", "222-33-5555"]
        )
        assert rows[alone.pk] == People(["Maria Lopez"], ["10000000001"], ["123-45-6789"])
    else:
        assert rows[family.pk] == People(
            names, ma_numbers, ["***-**-4444", "***-**-3333", "***-**-5555"]
        )
        assert rows[alone.pk] == People(["Maria Lopez"], ["10000000001"], ["***-**-6789"])


@pytest.mark.parametrize("full_ssn", [False, True])
def test_a_case_without_participants_has_an_empty_row(log_case, full_ssn):
    case = log_case()
    Participant.objects.filter(case=case).delete()
    assert people_of([case], full_ssn=full_ssn) == {case.pk: NOBODY}


@pytest.fixture
def no_server_side_cursors(monkeypatch):
    """As behind a transaction-pooling connection pooler (PgBouncer)."""
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)


@pytest.mark.parametrize("cursors", ["server side", "client side"])
def test_the_cases_come_in_the_querysets_order_in_one_query(
    log_case, django_assert_num_queries, request, cursors
):
    if cursors == "client side":
        request.getfixturevalue("no_server_side_cursors")
    cases = [log_case() for _ in range(3)]
    queryset = Case.objects.filter(pk__in=[case.pk for case in cases]).order_by("-pk")
    wanted = 1 if connection.vendor == "postgresql" else 2  # elsewhere: one for participants
    with django_assert_num_queries(wanted):
        rows = list(case_values(queryset, ["pk", "created_at", "returned_count"], full_ssn=False))
    assert [row["pk"] for row, _ in rows] == sorted((case.pk for case in cases), reverse=True)
    assert rows[0][0]["created_at"] == max(cases, key=lambda case: case.pk).created_at
    assert rows[0][0]["returned_count"] == 0


def test_an_empty_queryset_gives_no_rows(log_case):
    log_case()
    assert list(case_values(Case.objects.none(), ["pk"], full_ssn=True)) == []


@pytest.mark.django_db(transaction=True)
def test_rows_read_outside_a_transaction(log_case):
    """A streamed export reads its rows in autocommit mode, after the view has returned."""
    case = log_case()
    rows = list(case_values(Case.objects.filter(pk=case.pk), ["pk"], full_ssn=True))
    assert rows == [({"pk": case.pk}, People(["Maria Lopez"], ["10000000001"], ["123-45-6789"]))]
