"""The case exports run the same queries for 10 cases as for 100 (issue 12): rows come from
values() and one participants query per chunk, never a query per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Kind, Participant
from cases.states import State

from .workbooks import response_bytes


def _bulk_cases(n, *, state, csr, team, mco):
    # Test data: the state is set by the constructor, as STYLE.md allows for fixtures.
    cases = Case.objects.bulk_create(
        Case(kind=Kind.MCT_SPAN, state=state, csr=csr, team=team, target_mco=mco) for _ in range(n)
    )
    Participant.objects.bulk_create(
        Participant(case=case, name=f"P{i}-{j}", ma_number=f"{i:09d}{j:02d}", ssn="287654321")
        for i, case in enumerate(cases)
        for j in range(1 + i % 3)
    )


def _export_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        response_bytes(response)  # the rows are written while the response is built
    return len(queries)


@pytest.mark.parametrize(
    "url_name, state, user",
    [
        ("reports:qc_report_export", State.ESCALATED, "qc_lead"),
        ("reports:handoff_export", State.TRUE_TRACKER, "monitor"),
    ],
)
def test_it_runs_the_same_queries_for_10_cases_as_for_100(
    client, request, url_name, state, user, csr, team, mcos
):
    client.force_login(request.getfixturevalue(user))
    url = reverse(url_name)
    mco = next(iter(mcos.values()))

    _bulk_cases(10, state=state, csr=csr, team=team, mco=mco)
    ten = _export_queries(client, url)
    _bulk_cases(90, state=state, csr=csr, team=team, mco=mco)
    hundred = _export_queries(client, url)

    assert ten == hundred
    assert hundred <= 12, hundred
