"""The work lists at scale (issue 12): constant queries, "about N" counts, the deep-page bound,
sorts through the cases' copies of names, logged dates as ranges."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.states import State
from tests.conftest import make_user
from tracker import pagination, roles

LISTS = [
    ("cases:qc_queue", "qc_lead", State.ESCALATED),
    ("cases:monitor_list", "monitor", State.TRUE_TRACKER),
    ("cases:outreach", "supervisor", State.OUTREACH_REQUIRED),
    ("cases:mine", "csr", State.ESCALATED),
]


def _numbers(response):
    return [row.record.number for row in response.context["table"].paginated_rows]


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url_name, user, state", LISTS)
def test_it_runs_the_same_queries_for_one_row_as_for_many(
    client, request, make_cases, url_name, user, state
):
    client.force_login(request.getfixturevalue(user))
    url = reverse(url_name)
    make_cases(1, state)
    _queries(client, url)  # the session's first request writes more
    one = _queries(client, url, per_page=100)
    make_cases(40, state)
    assert _queries(client, url, per_page=100) == one
    _queries(client, url, per_page=100, sort="csr")  # a new sort is remembered: one session write
    assert _queries(client, url, per_page=100, sort="csr") == one


def test_it_counts_short_lists_exactly(client, qc_lead, make_cases):
    make_cases(3, State.ESCALATED)
    client.force_login(qc_lead)
    response = client.get(reverse("cases:qc_queue"))
    assert "3 case(s)." in response.content.decode()


def test_it_shows_an_estimate_past_the_exact_count_limit(client, qc_lead, make_cases, monkeypatch):
    make_cases(3, State.ESCALATED)
    monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 2)
    monkeypatch.setattr(pagination, "estimate_rows", lambda queryset: 1_234_567)
    client.force_login(qc_lead)
    response = client.get(reverse("cases:qc_queue"))
    assert "about 1.2 million case(s)." in response.content.decode()
    assert len(_numbers(response)) == 3


@pytest.mark.django_db
def test_it_estimates_with_the_planner_on_postgresql(make_cases):
    if connection.vendor != "postgresql":
        pytest.skip("the planner's estimate is PostgreSQL's")
    make_cases(5, State.ESCALATED)
    assert isinstance(pagination.estimate_rows(Case.objects.filter(state="escalated")), int)
    rows, estimated = pagination.count_rows(Case.objects.all(), exact_up_to=2)
    assert estimated and rows >= 3


@pytest.mark.parametrize("page", ["999999999", "99999999999999999999999"])
def test_it_refuses_a_page_past_the_deepest_one_politely(
    client, qc_lead, make_cases, monkeypatch, page
):
    make_cases(6, State.ESCALATED)
    monkeypatch.setattr(pagination, "MAX_ROWS", 4)
    client.force_login(qc_lead)
    response = client.get(reverse("cases:qc_queue"), {"per_page": 1, "page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert "past the deepest page this list offers (4, the first 4 rows)" in html
    assert "sort it the other way round" in html
    assert response.context["table"].page.number == 4
    assert 'href="?per_page=1&amp;page=5"' not in html  # no link past the bound


def test_it_shows_the_last_page_of_a_short_list_for_a_page_past_its_end(
    client, qc_lead, make_cases
):
    make_cases(3, State.ESCALATED)
    client.force_login(qc_lead)
    response = client.get(reverse("cases:qc_queue"), {"per_page": 2, "page": 999999999})
    assert response.status_code == 200
    assert response.context["table"].page.number == 2
    assert "There is no page 999,999,999: this list has 2 page(s)" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "", "1e400", "-5", "0"])
def test_it_shows_a_page_for_garbage(client, qc_lead, make_cases, page):
    make_cases(2, State.ESCALATED)
    client.force_login(qc_lead)
    response = client.get(reverse("cases:qc_queue"), {"page": page})
    assert response.status_code == 200
    assert len(_numbers(response)) == 2


@pytest.fixture
def three_csrs(team, mcos):
    return [
        make_user(f"csr.{last}", roles.CSR, team=team, first_name="Sam", last_name=last)
        for last in ["Young", "Abbott", "Martin"]
    ]


def test_it_sorts_by_csr_team_and_mco_names(client, qc_lead, make_cases, three_csrs, mcos):
    young, abbott, martin = three_csrs
    cases = {
        "young": make_cases(
            1, State.ESCALATED, csr=young, target_mco=mcos["Aetna Better Health of Maryland"]
        )[0],
        "abbott": make_cases(1, State.ESCALATED, csr=abbott, target_mco=mcos["Wellpoint Maryland"])[
            0
        ],
        "martin": make_cases(
            1, State.ESCALATED, csr=martin, target_mco=mcos["MedStar Family Choice"]
        )[0],
    }
    client.force_login(qc_lead)
    url = reverse("cases:qc_queue")
    by = {key: case.number for key, case in cases.items()}
    assert _numbers(client.get(url, {"sort": "csr"})) == [by["abbott"], by["martin"], by["young"]]
    assert _numbers(client.get(url, {"sort": "-csr"})) == [by["young"], by["martin"], by["abbott"]]
    assert _numbers(client.get(url, {"sort": "target_mco"})) == [
        by["young"],
        by["martin"],
        by["abbott"],
    ]
    # A renamed CSR moves with their new name (cases.sort_names).
    young.last_name = "Aaronson"
    young.save()
    assert _numbers(client.get(url, {"sort": "csr"})) == [by["young"], by["abbott"], by["martin"]]
    mco = mcos["Wellpoint Maryland"]
    mco.name = "AAA Health"
    mco.save()
    assert _numbers(client.get(url, {"sort": "target_mco"}))[0] == by["abbott"]


def test_it_keeps_the_sort_names_in_step_with_the_case(make_cases, three_csrs, other_team, mcos):
    case = make_cases(1, State.ESCALATED, csr=three_csrs[0])[0]
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.csr_last_name, fresh.csr_first_name, fresh.team_name, fresh.mco_name) == (
        "Young",
        "Sam",
        "Team Alpha",
        "Priority Partners",
    )
    fresh.team, fresh.target_mco = other_team, None
    fresh.save(update_fields=["team", "target_mco"])
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.team_name, fresh.mco_name) == ("Team Beta", "")


def test_it_ties_sorts_by_id_so_pages_never_overlap(client, qc_lead, make_cases):
    made = make_cases(5, State.ESCALATED)
    client.force_login(qc_lead)
    url = reverse("cases:qc_queue")
    seen = []
    for page in [1, 2, 3]:
        seen += _numbers(client.get(url, {"sort": "csr", "per_page": 2, "page": page}))
    assert seen == [case.number for case in sorted(made, key=lambda c: c.pk)]


def test_it_filters_logged_dates_by_the_local_day(client, qc_lead, make_cases):
    tz = timezone.get_current_timezone()
    late = datetime(2026, 3, 10, 23, 30, tzinfo=tz)  # 03/11 in UTC
    early = datetime(2026, 3, 11, 0, 15, tzinfo=tz)
    late_case = make_cases(1, State.ESCALATED, created_at=late)[0]
    early_case = make_cases(1, State.ESCALATED, created_at=early)[0]
    client.force_login(qc_lead)
    url = reverse("cases:qc_queue")
    day = {"created_after": "2026-03-10", "created_before": "2026-03-10"}
    assert _numbers(client.get(url, day)) == [late_case.number]
    assert _numbers(client.get(url, {"created_after": "2026-03-11"})) == [early_case.number]
    assert _numbers(client.get(url, {"created_before": "2026-03-11"})) == [
        late_case.number,  # a queue lists the case waiting longest first
        early_case.number,
    ]
    wide = {"created_after": "0001-01-01", "created_before": "9999-12-31"}
    assert len(_numbers(client.get(url, wide))) == 2


def test_it_filters_by_age_from_the_start_of_the_cutoff_day(client, qc_lead, make_cases):
    old = make_cases(1, State.ESCALATED, created_at=timezone.now() - timedelta(days=40))[0]
    make_cases(1, State.ESCALATED)
    client.force_login(qc_lead)
    assert _numbers(client.get(reverse("cases:qc_queue"), {"older_than": 20})) == [old.number]


TABLES = {
    "cases:qc_queue": "QcQueueTable",
    "cases:monitor_list": "MonitorTable",
    "cases:outreach": "SupervisorTable",
    "cases:mine": "CsrTable",
}


@pytest.mark.parametrize("url_name, user, state", LISTS)
def test_it_shows_the_same_rows_when_deep_pages_are_read_ids_first(
    client, request, make_cases, monkeypatch, url_name, user, state
):
    """Deep pages are read ids first, then the rows of those ids (tracker.pagination's deferred
    join): every sort, both ways, pages exactly as the one-query read does, with the same
    columns, and a constant number of queries."""
    from cases import tables

    client.force_login(request.getfixturevalue(user))
    url = reverse(url_name)
    made = make_cases(7, state)
    Case.objects.filter(pk=made[2].pk).update(returned_count=2)
    table = getattr(tables, TABLES[url_name])
    sorts = [c.name for c in table([]).columns if c.orderable]
    assert sorts
    for sort in [*sorts, *(f"-{name}" for name in sorts)]:

        def pages(defer_from, sort=sort):
            monkeypatch.setattr(pagination, "DEFER_FROM_ROW", defer_from)
            shown = []
            for page in [1, 2, 3, 4]:
                response = client.get(url, {"sort": sort, "per_page": 2, "page": page})
                rows = response.context["table"].paginated_rows
                shown += [[cell for cell in row] for row in rows]
            return shown

        in_one_query = pages(10**9)
        ids_first = pages(0)
        assert ids_first == in_one_query, sort
        assert len(ids_first) == 7
    monkeypatch.setattr(pagination, "DEFER_FROM_ROW", 0)
    few = _queries(client, url, per_page=2, page=2)
    make_cases(10, state)
    assert _queries(client, url, per_page=2, page=2) == few
