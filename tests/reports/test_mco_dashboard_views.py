"""The MCO dashboard page and its XLSX (reports.mco_dashboard_views): who sees it, which teams,
the period filter, and the same figures in the file as on the page."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

PAGE, EXPORT = reverse("reports:mco_dashboard"), reverse("reports:mco_dashboard_export")
PERIOD = "?period=range&start=2026-11-02&end=2026-11-15"


@pytest.fixture
def today():
    """Thursday 12/03/2026, as in mco_world."""
    with time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("America/Chicago"))):
        yield


def _figure(soup, table, row_attr, row_value, figure):
    row = soup.select_one(f'table#{table} tr[{row_attr}="{row_value}"]')
    return row.select_one(f'[data-figure="{figure}"]').get_text(strip=True)


@pytest.mark.parametrize("role", ["csr", "monitor", "pal_rep", "pal_coordinator", "assister_user"])
@pytest.mark.parametrize("url", [PAGE, EXPORT])
def test_it_refuses_someone_without_access(client, request, role, url):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == 403


def test_it_sends_someone_signed_out_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("role", ["qc_lead", "admin_user", "supervisor"])
def test_it_shows_the_dashboard_and_the_nav_link_to_those_who_may_see_it(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(PAGE)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(f'nav a[href="{PAGE}"]') is not None


@pytest.mark.parametrize("role", ["csr", "monitor", "pal_coordinator"])
def test_it_shows_no_nav_link_to_others(client, request, role):
    client.force_login(request.getfixturevalue(role))
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one(f'a[href="{PAGE}"]') is None


def test_it_shows_every_teams_figures_to_qc(client, qc_lead, mco_world, today):
    client.force_login(qc_lead)
    soup = BeautifulSoup(client.get(PAGE + PERIOD).content, "html.parser")
    assert _figure(soup, "verdicts-by-team", "data-team", "Team Alpha", "true_pct") == "66.7"
    assert _figure(soup, "verdicts-by-team", "data-team", "Team Beta", "true_pct") == "100.0"
    assert _figure(soup, "bounce", "data-team", "all", "bounce_pct") == "50.0"
    assert _figure(soup, "stays", "data-state", "escalated", "median") == "2.5"
    assert _figure(soup, "flow", "data-week", "2026-11-02", "logged") == "2"
    assert _figure(soup, "ages", "data-state", "escalated", "total") == "3"
    # The charts carry their figures as text too; with several teams, one bar per team.
    assert soup.select_one("#verdicts-title").text == "QC verdicts per team, true and false"
    assert "Team Alpha: Vetted true 2, Vetted false 1." in soup.select_one("#verdicts-desc").text
    # No team chosen is every team's cases (teamless ones too), not "theirs".
    options = [o.text for o in soup.select("select#id_team option")]
    assert options == ["All teams", "Team Alpha", "Team Beta"]


def test_it_shows_a_supervisor_only_their_own_teams(client, supervisor, mco_world, today):
    client.force_login(supervisor)
    soup = BeautifulSoup(client.get(PAGE + PERIOD).content, "html.parser")
    teams = [row["data-team"] for row in soup.select("table#verdicts-by-team tbody tr")]
    assert teams == ["Team Alpha"]
    assert [row["data-team"] for row in soup.select("table#bounce tbody tr")] == ["Team Alpha"]
    # C, Team Beta's, is the only case returned by the monitor: not theirs.
    assert _figure(soup, "ages", "data-state", "returned_by_monitor", "total") == "0"
    options = [o.text for o in soup.select("select#id_team option")]
    assert options == ["All my teams", "Team Alpha"]
    # One team: one bar per CSR.
    assert "Reyes, Alice: Vetted true 2, Vetted false 1." in soup.select_one("#verdicts-desc").text


def test_it_shows_a_supervisor_of_no_team_empty_figures(client, supervisor, mco_world, today):
    from tracker.models import Team

    Team.objects.filter(supervisor=supervisor).update(supervisor=None)
    client.force_login(supervisor)
    response = client.get(PAGE + PERIOD)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select("table#verdicts-by-team tbody tr[data-team]") == []
    assert _figure(soup, "ages", "data-state", "escalated", "total") == "0"


def test_it_refuses_a_supervisor_another_teams_figures(client, supervisor, other_team, mco_world):
    client.force_login(supervisor)
    response = client.get(f"{PAGE}?team={other_team.pk}")
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Team: Choose one of the teams listed." in soup.select_one('[role="alert"]').text
    # It shows their own teams instead.
    teams = [row["data-team"] for row in soup.select("table#verdicts-by-team tbody tr")]
    assert teams == ["Team Alpha"]
    assert client.get(f"{EXPORT}?team={other_team.pk}").status_code == 400


def test_it_filters_by_team_for_qc(client, qc_lead, other_team, mco_world, today):
    client.force_login(qc_lead)
    soup = BeautifulSoup(client.get(f"{PAGE}{PERIOD}&team={other_team.pk}").content, "html.parser")
    assert [row["data-team"] for row in soup.select("table#verdicts-by-team tbody tr")] == [
        "Team Beta"
    ]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("period=range&end=2026-11-15", "From", "Give the first day"),
        ("period=range&start=2026-11-02", "To", "Give the last day"),
        ("period=range&start=2026-11-15&end=2026-11-02", "To", "end on or after"),
        ("period=range&start=2025-11-01&end=2026-11-15", "To", "at most 366 days"),
        ("period=range&start=2026-11-02&end=2026-12-31", "To", "cannot end after today"),
        ("period=range&start=1999-12-31&end=2000-01-02", "From", "on or after 01/01/2000"),
        ("period=range&start=2026-13-45&end=2026-11-15", "From", "valid date"),
        ("period=decade", "Period", "valid choice"),
        ("team=abc", "Team", "Choose one of the teams listed"),
    ],
)
def test_it_says_which_filter_is_wrong(client, qc_lead, today, query, field, message):
    client.force_login(qc_lead)
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 400
    alert = BeautifulSoup(response.content, "html.parser").select_one('[role="alert"]').text
    assert f"{field}:" in alert and message in alert


@pytest.mark.parametrize(
    "period, first_week",
    [
        ("week", "2026-11-30"),
        ("4weeks", "2026-11-09"),
        ("quarter", "2026-09-28"),
        ("", "2026-11-09"),
    ],
)
def test_it_offers_periods_ending_today(client, qc_lead, today, period, first_week):
    client.force_login(qc_lead)
    soup = BeautifulSoup(client.get(f"{PAGE}?period={period}").content, "html.parser")
    weeks = [row["data-week"] for row in soup.select("table#flow tbody tr")]
    # The quarter starts Thu 10/01: its first week is the one holding it.
    assert weeks[0] == first_week and weeks[-1] == "2026-11-30"


def test_it_exports_the_same_figures_one_sheet_per_table(client, qc_lead, mco_world, today):
    client.force_login(qc_lead)
    response = client.get(EXPORT + PERIOD)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    for title in [
        "Cases by state and age",
        "Weekly inflow and outflow",
        "Time in each state",
        "QC verdicts by CSR",
        "QC verdicts by team",
        "State Monitor bounce rate",
        "Outreach outcomes",
        "Deadlines missed (now)",
    ]:
        assert title in book.sheetnames

    def rows(title):
        sheet = book[title]
        return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]

    assert ["Reyes, Alice", 2, 1, 66.7, "Team Alpha"] in rows("QC verdicts by CSR")
    assert ["All teams", 1, 1, 50] in rows("State Monitor bounce rate")
    assert ["Escalated", 4, 2.5, 7.9] in rows("Time in each state")
    assert ["Escalated", 1, 1, 0, 1, 0, 3] in rows("Cases by state and age")
    flow = rows("Weekly inflow and outflow")
    assert [(r[0].date().isoformat(), r[1], r[2]) for r in flow] == [
        ("2026-11-02", 2, 1),
        ("2026-11-09", 1, 1),
    ]


def test_it_runs_a_fixed_number_of_queries(
    client, qc_lead, log_case, make_cases, django_assert_max_num_queries
):
    from cases import services

    def grow(n):
        make_cases(n, "escalated")
        make_cases(n, "outreach_required")
        for _ in range(n):
            services.case_vet_true(case=log_case(), by=qc_lead)

    client.force_login(qc_lead)
    grow(2)
    client.get(PAGE)  # the session and the content types, read once
    with CaptureQueriesContext(connection) as small:
        client.get(PAGE)
    grow(15)
    with django_assert_max_num_queries(20) as big:
        assert client.get(PAGE).status_code == 200
    assert len(big) == len(small)


def test_it_answers_any_period_with_200_or_400(client, qc_lead):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client.force_login(qc_lead)

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        period=st.sampled_from(["", "week", "4weeks", "quarter", "range", "x"]),
        start=st.one_of(st.dates().map(str), st.text(max_size=12)),
        end=st.one_of(st.dates().map(str), st.text(max_size=12)),
    )
    def hunt(period, start, end):
        for url in (PAGE, EXPORT):
            response = client.get(url, {"period": period, "start": start, "end": end})
            assert response.status_code in (200, 400)

    hunt()


@pytest.mark.parametrize("role", ["qc_lead", "supervisor"])
def test_the_page_reads_closed_days_from_the_rollup_with_the_same_figures(
    client, request, role, mco_world, today
):
    from reports.mco_dashboard import roll_up

    client.force_login(request.getfixturevalue(role))
    url = PAGE + "?period=range&start=2026-10-01&end=2026-12-03"

    def tables(response):
        soup = BeautifulSoup(response.content, "html.parser")
        return [table.get_text(" ", strip=True) for table in soup.select("table")]

    from_logs = tables(client.get(url))
    assert roll_up() > 0  # every day through yesterday, 12/02
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert tables(response) == from_logs
    assert any("reports_daystay" in query["sql"] for query in queries.captured_queries)
    assert len(queries) <= 20  # the rollup's days and today's: a query each, not one a day
