"""The four work lists: who sees what, who is refused, constant queries, age highlighting."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import queues
from cases.states import State
from tracker.models import IdentifierAccess

LISTS = ["cases:qc_queue", "cases:monitor_list", "cases:outreach", "cases:mine"]


def _numbers(response):
    return {row.record.number for row in response.context["table"].paginated_rows}


@pytest.fixture
def one_of_each(log_case, csr, other_csr, qc_lead, monitor, mcos):
    """Cases in every list's states, for two teams."""
    from cases import services

    def vet(case, verdict):
        if verdict:
            return services.case_vet_true(case=case, by=qc_lead)
        return services.case_vet_false(case=case, by=qc_lead, reason="Not a tracker case")

    made = {
        "escalated": log_case(by=csr),
        "other_escalated": log_case(by=other_csr),
        "true": vet(log_case(by=csr), True),
        "outreach": vet(log_case(by=csr), False),
        "other_outreach": vet(log_case(by=other_csr), False),
    }
    returned = vet(log_case(by=other_csr), True)
    made["returned"] = services.case_return_unprocessed(case=returned, by=monitor, reason="No span")
    return made


@pytest.mark.parametrize("url_name", LISTS)
def test_it_refuses_anonymous_users(client, url_name, db):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "url_name, outsider",
    [
        ("cases:qc_queue", "csr"),
        ("cases:qc_queue", "monitor"),
        ("cases:monitor_list", "qc_lead"),
        ("cases:monitor_list", "supervisor"),
        ("cases:outreach", "csr"),
        ("cases:outreach", "qc_lead"),
        ("cases:mine", "supervisor"),
        ("cases:mine", "pal_rep"),
        ("cases:qc_queue", "pal_coordinator"),
        ("cases:new", "qc_lead"),
        ("cases:new", "assister_user"),
    ],
)
def test_it_refuses_users_without_the_role(client, db, request, url_name, outsider):
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(reverse(url_name)).status_code == 403


def test_it_shows_the_qc_lead_the_unvetted_and_returned_cases_of_every_team(
    client, qc_lead, one_of_each
):
    client.force_login(qc_lead)
    response = client.get(reverse("cases:qc_queue"))
    assert response.status_code == 200
    expected = {one_of_each[key].number for key in ["escalated", "other_escalated", "returned"]}
    assert _numbers(response) == expected
    assert "1×" in response.content.decode()  # returned_count shown


def test_it_shows_the_state_monitor_true_tracker_cases_with_full_identifiers(
    client, monitor, one_of_each
):
    client.force_login(monitor)
    response = client.get(reverse("cases:monitor_list"))
    assert _numbers(response) == {one_of_each["true"].number}
    assert "123-45-6789" in response.content.decode()
    access = IdentifierAccess.objects.get(user=monitor)
    assert access.object_ids == [one_of_each["true"].pk]


def test_it_shows_a_supervisor_only_their_own_teams_outreach(client, supervisor, one_of_each):
    client.force_login(supervisor)
    response = client.get(reverse("cases:outreach"))
    assert _numbers(response) == {one_of_each["outreach"].number}
    assert "Attempt 1 by" in response.content.decode()


def test_it_shows_another_teams_supervisor_none_of_them(
    client, other_supervisor, log_case, qc_lead
):
    from cases import services

    services.case_vet_false(case=log_case(), by=qc_lead, reason="Not a tracker case")
    client.force_login(other_supervisor)
    response = client.get(reverse("cases:outreach"))
    assert _numbers(response) == set()
    assert "123-45-6789" not in response.content.decode()


def test_it_shows_a_csr_only_their_own_cases(client, csr, one_of_each):
    client.force_login(csr)
    response = client.get(reverse("cases:mine"))
    assert _numbers(response) == {
        one_of_each[key].number for key in ["escalated", "true", "outreach"]
    }
    assert "123-45-6789" not in response.content.decode()  # masked for CSRs


def test_it_filters_the_qc_queue_by_kind_csr_and_age(client, qc_lead, csr, make_cases):
    old = make_cases(1, State.ESCALATED, created_at=timezone.now() - timedelta(days=30))[0]
    new = make_cases(1, State.ESCALATED, kind="for_cause", for_cause_reason="arc")[0]
    client.force_login(qc_lead)
    url = reverse("cases:qc_queue")
    assert _numbers(client.get(url, {"older_than": 5})) == {old.number}
    assert _numbers(client.get(url, {"kind": "for_cause"})) == {new.number}
    assert _numbers(client.get(url, {"csr": csr.pk})) == {old.number, new.number}


def test_it_highlights_cases_older_than_the_alert_age(client, qc_lead, make_cases, settings):
    settings.CASE_AGE_ALERT_BUSINESS_DAYS = 3
    make_cases(1, State.ESCALATED, created_at=timezone.now() - timedelta(days=30))
    make_cases(1, State.ESCALATED)
    client.force_login(qc_lead)
    html = client.get(reverse("cases:qc_queue")).content.decode()
    assert html.count('<tr class="overdue ') == 1


def test_the_qc_queue_function_is_empty_for_non_qc_users(csr, make_cases):
    make_cases(2, State.ESCALATED)
    assert queues.qc_queue(csr).count() == 0


# A list page's query count must not grow with its rows (Case.objects.for_lists()). The State
# Monitor list is the highest: it also loads the session's second-factor device and checks the
# full-identifiers permission (user and group permissions).
MAX_LIST_QUERIES = 10


@pytest.mark.parametrize("rows", [10, 100])
@pytest.mark.parametrize(
    "url_name, user, state",
    [
        ("cases:qc_queue", "qc_lead", State.ESCALATED),
        ("cases:monitor_list", "monitor", State.TRUE_TRACKER),
        ("cases:outreach", "supervisor", State.OUTREACH_REQUIRED),
        ("cases:mine", "csr", State.ESCALATED),
    ],
)
def test_it_runs_a_constant_number_of_queries(
    client, request, make_cases, django_assert_max_num_queries, rows, url_name, user, state
):
    make_cases(rows, state)
    client.force_login(request.getfixturevalue(user))
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        response = client.get(reverse(url_name), {"per_page": 100})
    assert len(response.context["table"].paginated_rows) == rows


def test_it_caps_the_page_size_a_url_can_ask_for(client, qc_lead, log_case):
    for _ in range(3):
        log_case()
    client.force_login(qc_lead)
    response = client.get(reverse("cases:qc_queue"), {"per_page": 100000})
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == 100


# ---- issue 11: numbers out of range in the query string ---------------------------------------
@pytest.mark.parametrize(
    "url_name, role",
    [
        ("cases:qc_queue", "qc_lead"),
        ("cases:monitor_list", "monitor"),
        ("cases:outreach", "supervisor"),
        ("cases:mine", "csr"),
        ("reports:qc_report", "qc_lead"),
        ("reports:qc_report_export", "qc_lead"),
    ],
)
@pytest.mark.parametrize(
    "value, message",
    [
        ("600000", "less than or equal to 10000"),  # OverflowError in date arithmetic before
        ("1e400", "less than or equal to 10000"),
        ("-1", "greater than or equal to 0"),
        ("NaN", "Enter a number"),
    ],
)
def test_it_answers_an_age_out_of_range_with_400_and_says_why(
    client, request, log_case, url_name, role, value, message
):
    log_case()
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(url_name), {"older_than": value})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("page", ["99999999999999999999999", "-5", "1e400", "abc", "٣"])
def test_it_shows_a_page_for_any_page_number(client, qc_lead, log_case, page):
    log_case()
    client.force_login(qc_lead)
    response = client.get(reverse("cases:qc_queue"), {"page": page, "per_page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("descending", [False, True])
def test_the_outreach_list_sorts_by_attempts_made(
    client, supervisor, qc_lead, log_case, descending
):
    """The sort goes by state (see SupervisorTable.attempts_made): check it orders by the count
    the column shows."""
    from cases import services

    cases = [
        services.case_vet_false(case=log_case(), by=qc_lead, reason="Not a tracker case")
        for _ in range(4)
    ]
    for case in cases[::2]:
        services.case_record_attempt(
            case=case,
            by=supervisor,
            made_on=timezone.localdate(),
            method="phone",
            reached=False,
        )
    client.force_login(supervisor)
    sort = "-attempts_made" if descending else "attempts_made"
    response = client.get(reverse("cases:outreach"), {"sort": sort})
    shown = [row.record.attempts_made for row in response.context["table"].paginated_rows]
    assert shown == sorted(shown, reverse=descending) and sorted(shown) == [0, 0, 1, 1]
