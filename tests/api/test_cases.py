"""/api/v1/cases: the same cases, rules and checks as the pages, for a token or a session."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from cases.states import State
from tracker import roles
from tracker.models import IdentifierAccess

CASE_ROLES = [roles.CSR, roles.SUPERVISOR, roles.QC_LEAD, roles.STATE_MONITOR, roles.ADMIN]
OTHER_ROLES = [roles.PAL_REPRESENTATIVE, roles.PAL_COORDINATOR, roles.ASSISTER]


def post(api, path, body):
    return api.post(path, json.dumps(body), content_type="application/json")


def intake(mcos, **fields):
    return {
        "kind": "mct_span",
        "target_mco": mcos["Priority Partners"].pk,
        "consumer_phone": "410-555-0142",
        "participants": [{"name": "Ana Ruiz", "ma_number": "30000000001", "ssn": "587-65-4321"}],
        **fields,
    }


# ---- access: every endpoint × role ----------------------------------------------------------


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_roles_outside_the_tracker_are_refused_everywhere(make_token, log_case, mcos, role):
    case = log_case()
    _, api = make_token(role)
    assert api.get("/api/v1/cases").status_code == 403
    assert api.get(f"/api/v1/cases/{case.pk}").status_code == 403
    assert post(api, "/api/v1/cases", intake(mcos)).status_code == 403
    body = {"action": "vet_true"}
    assert post(api, f"/api/v1/cases/{case.pk}/transitions", body).status_code == 403


@pytest.mark.parametrize(
    "role, sees",
    [
        (roles.CSR, False),  # another CSR's case (the token's client logged none)
        (roles.SUPERVISOR, False),  # not its team's
        (roles.QC_LEAD, True),
        (roles.STATE_MONITOR, False),  # not a true tracker case yet
        (roles.ADMIN, True),
    ],
)
def test_it_reads_only_the_cases_the_pages_show(make_token, log_case, role, sees):
    case = log_case()
    _, api = make_token(role)
    assert api.get(f"/api/v1/cases/{case.pk}").status_code == (200 if sees else 404)
    listed = [row["id"] for row in api.get("/api/v1/cases").json()["items"]]
    assert listed == ([case.pk] if sees else [])


def test_the_own_csr_and_supervisor_see_their_case_by_session(client, log_case, csr, supervisor):
    case = log_case()
    for user in (csr, supervisor):
        client.force_login(user)
        assert client.get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_an_outsider_team_does_not_see_the_case(client, log_case, other_csr, other_supervisor):
    case = log_case()
    for user in (other_csr, other_supervisor):
        client.force_login(user)
        assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404
        assert client.get("/api/v1/cases").json()["items"] == []


def test_anonymous_callers_get_401(client, log_case):
    case = log_case()
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 401


# ---- read: taxonomy, timeline, SSNs ---------------------------------------------------------


def test_a_case_reads_its_whole_taxonomy_as_the_case_page_shows_it(make_token, log_case):
    from cases.states import TAXONOMY

    case = log_case()
    _, api = make_token(roles.QC_LEAD)
    body = api.get(f"/api/v1/cases/{case.pk}").json()
    # Every field of the one taxonomy table, no more, no fewer: the schema cannot drift from it.
    assert body["taxonomy"] == TAXONOMY[case.state]._asdict()


def test_it_masks_ssns_and_records_nothing_for_a_qc_token(make_token, log_case):
    case = log_case()
    _, api = make_token(roles.QC_LEAD)
    body = api.get(f"/api/v1/cases/{case.pk}").json()
    assert body["participants"][0]["ssn"] == "***-**-6789"
    assert "123456789" not in json.dumps(body) and "123-45-6789" not in json.dumps(body)
    assert body["taxonomy"]["disposition"] and body["timeline"][0]["what"] == "log"
    assert not IdentifierAccess.objects.exists()


def test_a_state_monitor_token_sees_full_ssns_and_each_read_is_audited(
    make_token, log_case, qc_lead
):
    from cases import services

    case = log_case()
    services.case_vet_true(case=case, by=qc_lead)
    new, api = make_token(roles.STATE_MONITOR)
    body = api.get(f"/api/v1/cases/{case.pk}").json()
    assert body["ssn_full"] is True
    assert body["participants"][0]["ssn"] == "123-45-6789"
    access = IdentifierAccess.objects.get()
    assert access.user == new.token.client and access.action == IdentifierAccess.VIEW
    assert access.object_ids == [case.pk] and access.what == f"case {case.number}"


def test_a_state_monitor_session_without_second_factor_is_refused(client, monitor):
    client.force_login(monitor, second_factor=False)
    assert client.get("/api/v1/cases").status_code == 401


# ---- list: filters, cursor, query count -----------------------------------------------------


def test_it_pages_with_an_opaque_cursor_without_gaps_or_repeats(make_token, make_cases):
    cases = make_cases(7, State.ESCALATED)
    _, api = make_token(roles.QC_LEAD)
    seen, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/cases", query).json()
        seen += [row["id"] for row in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted((c.pk for c in cases), reverse=True)  # same created_at: by id


@pytest.mark.parametrize(
    "query, field",
    [
        ({"cursor": "not-ours"}, "cursor"),
        ({"cursor": "WzEsMl0"}, "cursor"),  # [1,2]: decodes, but no time in it
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"kind": "nonsense"}, "kind"),
        ({"state": "new"}, "state"),  # the lists never show unlogged cases
        ({"older_than": -1}, "older_than"),
        ({"created_after": "2026-13-01"}, "created_after"),
        ({"team": 999999}, "team"),
        ({"csr": "abc"}, "csr"),
    ],
)
def test_bad_filters_get_422_naming_the_field(make_token, query, field):
    _, api = make_token(roles.QC_LEAD)
    response = api.get("/api/v1/cases", query)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_it_filters_as_the_work_lists_do(make_token, make_cases, other_team):
    make_cases(2, State.ESCALATED)
    returned = make_cases(1, State.RETURNED_BY_MONITOR)
    _, api = make_token(roles.QC_LEAD)
    rows = api.get("/api/v1/cases", {"state": "returned_by_monitor"}).json()["items"]
    assert [row["id"] for row in rows] == [returned[0].pk]
    assert api.get("/api/v1/cases", {"team": other_team.pk}).json()["items"] == []


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_keeps_a_constant_query_count(
    make_token, make_cases, django_assert_max_num_queries, count
):
    make_cases(count, State.ESCALATED)
    _, api = make_token(roles.QC_LEAD)
    api.get("/api/v1/me")  # last_used written now, not inside the measured call
    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/cases", {"limit": 100, "kind": "mct_span"})
    assert len(response.json()["items"]) == count


# ---- create: the CSR intake ---------------------------------------------------------------


def test_a_csr_token_logs_a_case_as_the_intake_does(make_token, mcos):
    new, api = make_token(roles.CSR)
    response = post(api, "/api/v1/cases", intake(mcos))
    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert case.state == State.ESCALATED and case.csr == new.token.client
    assert response.json()["participants"][0]["ssn"] == "***-**-4321"


def test_it_warns_of_a_duplicate_and_logs_it_with_a_reason(make_token, mcos, log_case):
    existing = log_case(
        participants=[
            __import__("cases.models", fromlist=["Participant"]).Participant(
                name="Ana Ruiz", ma_number="30000000001", ssn="587654321"
            )
        ]
    )
    _, api = make_token(roles.CSR)
    warned = post(api, "/api/v1/cases", intake(mcos))
    assert warned.status_code == 409
    body = warned.json()
    assert body["errors"][0]["field"] == "duplicate_reason"
    assert body["duplicates"][0]["number"] == existing.number
    assert body["duplicates"][0]["id"] is None  # another CSR's case: named, not linked
    assert Case.objects.count() == 1
    logged = post(api, "/api/v1/cases", intake(mcos, duplicate_reason="Another household member"))
    assert logged.status_code == 201
    assert logged.json()["duplicate_reason"] == "Another household member"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"consumer_phone": "12"}, "consumer_phone"),
        ({"target_mco": None}, "target_mco"),
        ({"target_mco": 99999}, "target_mco"),
        ({"kind": "for_cause"}, "for_cause_reason"),
        ({"participants": []}, "participants"),
        ({"participants": [{"name": "A", "ma_number": "1", "ssn": "2"}]}, "participants.0.ssn"),
        ({"notes": "x" * 2001}, "notes"),
        ({"kind": "other"}, "kind"),
    ],
)
def test_bad_intake_gets_422_naming_the_field(make_token, mcos, change, field):
    _, api = make_token(roles.CSR)
    response = post(api, "/api/v1/cases", {**intake(mcos), **change})
    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert any(f == field or f.startswith(field + ".") for f in fields if f), fields
    assert not Case.objects.exists()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.dictionaries(
        st.sampled_from(
            ["kind", "participants", "target_mco", "consumer_phone", "notes", "auto_assigned"]
        ),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(min_value=-(2**70), max_value=2**70),
            st.text(max_size=30),
            st.lists(st.dictionaries(st.text(max_size=8), st.text(max_size=12)), max_size=3),
        ),
    )
)
def test_it_never_answers_an_intake_body_with_a_server_error(make_token, mcos, body):
    _, api = make_token(roles.CSR, name="fuzz")
    response = post(api, "/api/v1/cases", body)
    assert response.status_code in (201, 409, 422), response.content


# ---- transitions ------------------------------------------------------------------------


def test_a_qc_token_vets_through_the_same_service(make_token, log_case):
    case = log_case()
    new, api = make_token(roles.QC_LEAD)
    response = post(api, f"/api/v1/cases/{case.pk}/transitions", {"action": "vet_true"})
    assert response.status_code == 200
    assert response.json()["state"] == State.TRUE_TRACKER
    assert response.json()["timeline"][-1]["by"] == new.token.client.username


@pytest.mark.parametrize(
    "role, status",
    [(roles.CSR, 404), (roles.STATE_MONITOR, 404), (roles.SUPERVISOR, 404), (roles.ADMIN, 200)],
)
def test_only_those_the_page_allows_may_vet(make_token, log_case, role, status):
    case = log_case()
    _, api = make_token(role)
    response = post(api, f"/api/v1/cases/{case.pk}/transitions", {"action": "vet_true"})
    assert response.status_code == status


def test_the_csr_may_see_but_not_vet_its_case(client, log_case, csr):
    case = log_case()
    client.force_login(csr)
    response = post(client, f"/api/v1/cases/{case.pk}/transitions", {"action": "vet_true"})
    assert response.status_code == 403


def test_a_step_the_case_has_moved_past_gets_409(make_token, log_case, qc_lead):
    from cases import services

    case = log_case()
    services.case_vet_true(case=case, by=qc_lead)
    _, api = make_token(roles.QC_LEAD)
    response = post(api, f"/api/v1/cases/{case.pk}/transitions", {"action": "vet_false"})
    assert response.status_code == 409
    assert response.json()["errors"][0]["rule"] == "state"


@pytest.mark.parametrize(
    "raised, rule",
    [
        ("TransitionNotAllowed", "state"),  # the state changed between the check and the step
        ("CaseConflict", "conflict"),  # someone changed the case meanwhile
    ],
)
def test_a_step_the_service_refuses_gets_the_rule_the_lead_steps_use(
    make_token, log_case, monkeypatch, raised, rule
):
    import django_fsm

    from cases import services

    exception = getattr(django_fsm, raised, None) or getattr(services, raised)

    def refuse(**kwargs):
        raise exception("MCO-000042")

    monkeypatch.setattr(services, "case_vet_true", refuse)
    case = log_case()
    _, api = make_token(roles.QC_LEAD)
    response = post(api, f"/api/v1/cases/{case.pk}/transitions", {"action": "vet_true"})
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {
            "field": None,
            "rule": rule,
            "message": str(exception("MCO-000042")),
        }
    ]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"action": "vet_false"}, "reason"),
        ({"action": "vet_false", "reason": "x" * 1001}, "reason"),
        ({"action": "fly"}, "action"),
    ],
)
def test_a_step_with_bad_fields_gets_422_naming_the_field(make_token, log_case, body, field):
    case = log_case()
    _, api = make_token(roles.QC_LEAD)
    response = post(api, f"/api/v1/cases/{case.pk}/transitions", body)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    case.refresh_from_db()
    assert case.state == State.ESCALATED
