"""The identifier access log page for Admins: filters, pagination, exports, refusals."""

import csv
import io
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tracker.audit import record_identifier_access

from ..conftest import make_user
from .workbooks import response_bytes

PAGE = reverse("reports:access_log")
XLSX = reverse("reports:access_log_xlsx")
CSV = reverse("reports:access_log_csv")


def _at(day: str):
    return timezone.make_aware(datetime.fromisoformat(day).replace(hour=12))


@pytest.fixture
def dated_log(monitor, admin_user):
    """Rows written at chosen days (auto_now_add is bypassed by patching timezone.now)."""
    from unittest import mock

    rows = [
        (monitor, "view", "case MCO-000005", [5], "2026-11-02"),
        (monitor, "export", "State Monitor hand-off", [5, 6, 7], "2026-11-10"),
        (admin_user, "view", "admin: case MCO-000006", [6], "2026-11-10"),
        (admin_user, "view", "case MCO-000017", [17], "2026-11-20"),
    ]
    for user, action, what, ids, day in rows:
        with mock.patch("django.utils.timezone.now", return_value=_at(day)):
            record_identifier_access(user=user, action=action, what=what, object_ids=ids)


def _whats(response):
    return [access.what for access in response.context["page"].object_list]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ["case MCO-000017", "admin: case MCO-000006", "State Monitor hand-off",
              "case MCO-000005"]),
        ({"person": "monitor"}, ["State Monitor hand-off", "case MCO-000005"]),
        ({"case": "MCO-000006"}, ["admin: case MCO-000006", "State Monitor hand-off"]),
        ({"case": "mco-6"}, ["admin: case MCO-000006", "State Monitor hand-off"]),
        ({"case": "17"}, ["case MCO-000017"]),
        ({"case": "MCO-000001"}, []),  # 1 is a prefix of 17 but not the same case
        ({"action": "export"}, ["State Monitor hand-off"]),
        ({"since": "2026-11-10"}, ["case MCO-000017", "admin: case MCO-000006",
                                   "State Monitor hand-off"]),
        ({"since": "2026-11-03", "until": "2026-11-10"}, ["admin: case MCO-000006",
                                                          "State Monitor hand-off"]),
        ({"person": "admin", "case": "MCO-000006", "action": "view", "until": "2026-11-10"},
         ["admin: case MCO-000006"]),
    ],
)  # fmt: skip
def test_it_filters_the_log(client, admin_user, monitor, dated_log, query, expected):
    users = {"monitor": monitor.pk, "admin": admin_user.pk}
    if "person" in query:
        query = {**query, "person": users[query["person"]]}
    client.force_login(admin_user)
    response = client.get(PAGE, query)
    assert response.status_code == 200
    assert _whats(response) == expected


@pytest.mark.parametrize(
    "query, field",
    [
        ({"person": "abc"}, "person"),
        ({"person": "99999999"}, "person"),
        ({"person": "9" * 40}, "person"),
        ({"case": "MCO-abc"}, "case"),
        ({"case": "MCO-0"}, "case"),
        ({"case": "1" * 30}, "case"),
        ({"action": "delete"}, "action"),
        ({"since": "2026-13-40"}, "since"),
        ({"until": "99999-01-01"}, "until"),
        ({"since": "2026-11-10", "until": "2026-11-01"}, "until"),
    ],
)
def test_it_answers_bad_filters_with_form_errors(client, admin_user, dated_log, query, field):
    client.force_login(admin_user)
    for url in (PAGE, XLSX, CSV):
        response = client.get(url, query)
        assert response.status_code == 200, url
        assert field in response.context["form"].errors
        assert response.context["page"] is None
        assert response["Content-Type"].startswith("text/html")


def test_it_pages_fifty_rows_at_a_time_and_survives_a_bad_page(client, admin_user, monitor):
    for n in range(1, 61):
        record_identifier_access(user=monitor, action="view", what=f"case {n}", object_ids=[n])
    client.force_login(admin_user)
    first = client.get(PAGE)
    assert len(first.context["page"].object_list) == 50
    second = client.get(PAGE, {"page": "2"})
    assert len(second.context["page"].object_list) == 10
    for page in ("abc", "-1", "999999999999999999999"):
        assert client.get(PAGE, {"page": page}).status_code == 200


def test_it_exports_the_filtered_rows_as_xlsx(client, admin_user, monitor, dated_log):
    client.force_login(admin_user)
    response = client.get(XLSX, {"person": monitor.pk})
    assert response.status_code == 200
    assert 'filename="identifier-access-log-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response_bytes(response)))["Identifier access log"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "When", "User name", "Person", "Action", "Page or export", "Cases shown", "Case numbers"
    ]  # fmt: skip
    assert [row[1:] for row in rows[1:]] == [
        ["monitor", None, "Exported", "State Monitor hand-off", 3,
         "MCO-000005, MCO-000006, MCO-000007"],
        ["monitor", None, "Viewed", "case MCO-000005", 1, "MCO-000005"],
    ]  # fmt: skip
    assert rows[1][0] == timezone.localtime(_at("2026-11-10")).replace(tzinfo=None)


def test_it_exports_the_filtered_rows_as_csv(client, admin_user, dated_log):
    client.force_login(admin_user)
    response = client.get(CSV, {"case": "MCO-000006"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response_bytes(response).decode())))
    assert [row[4] for row in rows[1:]] == ["admin: case MCO-000006", "State Monitor hand-off"]
    assert rows[2][6] == "MCO-000005, MCO-000006, MCO-000007"


def test_it_lists_every_case_of_a_huge_export_in_the_csv_only(client, admin_user, monitor):
    ids = list(range(1, 5001))
    record_identifier_access(user=monitor, action="export", what="hand-off", object_ids=ids)
    client.force_login(admin_user)
    sheet = load_workbook(io.BytesIO(response_bytes(client.get(XLSX))))["Identifier access log"]
    cell = sheet.cell(row=2, column=7).value
    assert len(cell) < 32_767 and cell.endswith("more (the CSV export lists all)")
    rows = list(csv.reader(io.StringIO(response_bytes(client.get(CSV)).decode())))
    assert rows[1][6].split(", ") == [f"MCO-{n:06d}" for n in ids]


@pytest.mark.parametrize("role", ["csr", "supervisor", "qc_lead", "monitor", "pal_coordinator"])
def test_it_refuses_everyone_but_admins(client, request, role, dated_log):
    client.force_login(request.getfixturevalue(role))
    for url in (PAGE, XLSX, CSV):
        assert client.get(url).status_code == 403, url
    assert "Access log" not in client.get(reverse("home")).content.decode()


def test_it_lets_a_superuser_in_and_links_the_page_for_admins(client, admin_user, db):
    client.force_login(make_user("root", is_superuser=True))
    assert client.get(PAGE).status_code == 200
    client.force_login(admin_user)
    assert PAGE in client.get(reverse("home")).content.decode()


def test_it_runs_the_same_queries_for_5_or_50_rows(client, admin_user, monitor, dated_log):
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    other = make_user("monitor2")
    for n in range(46):
        record_identifier_access(
            user=other if n % 2 else monitor, action="view", what=f"c{n}", object_ids=[n + 1]
        )
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE)
    assert len(many) == len(few)
