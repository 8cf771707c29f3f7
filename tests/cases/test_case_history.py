"""Field history on the case timeline: who changed which field from what to what; SSNs masked and
never stored in the history; transitions shown once; constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from cases.models import Case, Participant
from tracker.history import attribute_to, forget_attribution

from ..admin_forms import change_form_data


def _admin_edit(client, user, case, **changes):
    from django.urls import reverse

    url = reverse("admin:cases_case_change", args=[case.pk])
    client.force_login(user)
    data = change_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")


def _edits(client, user, case):
    client.force_login(user)
    timeline = client.get(case.get_absolute_url()).context["timeline"]
    return [e for e in timeline if e["kind"] == "edit"]


def test_it_shows_an_admin_edit_with_who_and_from_what_to_what(
    client, admin_user, qc_lead, log_case, mcos
):
    case = log_case()  # MCT Span to Priority Partners
    _admin_edit(
        client,
        admin_user,
        case,
        notes="Consumer called back",
        target_mco=str(mcos["Jai Medical Systems"].pk),
        supervisor_requested="on",
    )

    [edit] = _edits(client, qc_lead, case)
    assert edit["title"] == "Case edited" and edit["by"] == admin_user
    assert {(c.label, c.old, c.new) for c in edit["changes"]} == {
        ("Notes", "—", "Consumer called back"),
        ("MCO", "Priority Partners", "Jai Medical Systems"),
        ("Did the consumer request a supervisor?", "No", "Yes"),
    }
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Consumer called back" in page and "Jai Medical Systems" in page


@pytest.mark.parametrize("viewer", ["qc_lead", "monitor"])
def test_it_shows_an_ssn_change_masked_to_everyone(
    client, request, admin_user, qc_lead, log_case, viewer
):
    case = services.case_vet_true(case=log_case(), by=qc_lead)
    participant = case.participants.get()
    _admin_edit(client, admin_user, case, **{"participants-0-ssn": "123454321"})

    [edit] = _edits(client, request.getfixturevalue(viewer), case)
    assert edit["title"] == "Participant Maria Lopez edited"
    assert [(c.label, c.old, c.new) for c in edit["changes"]] == [
        ("SSN", "***-**-6789", "***-**-4321")
    ]
    timeline_html = client.get(case.get_absolute_url()).content.decode().split("Timeline")[1]
    assert "123456789" not in timeline_html and "123-45-6789" not in timeline_html
    assert Participant.objects.get(pk=participant.pk).ssn == "123454321"


def test_it_shows_an_ssn_change_that_keeps_the_last_four_digits(client, admin_user, log_case):
    case = log_case()
    _admin_edit(client, admin_user, case, **{"participants-0-ssn": "223456789"})
    [edit] = _edits(client, admin_user, case)
    assert [(c.label, c.old, c.new) for c in edit["changes"]] == [
        ("SSN", "***-**-6789", "***-**-6789")
    ]


def test_it_never_stores_an_ssn_in_the_history_table(client, admin_user, log_case):
    case = log_case()
    _admin_edit(client, admin_user, case, **{"participants-0-ssn": "223456780"})
    history = Participant.history.model
    assert "ssn" not in {f.name for f in history._meta.get_fields()}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {history._meta.db_table}")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert "6789" in stored  # the masked form is kept …
    for digits in ("123456789", "223456780", "12345", "22345"):
        assert digits not in stored  # … never the number


def test_it_shows_participants_added_and_removed_later_not_those_logged(
    client, admin_user, log_case
):
    case = log_case()
    late = Participant(case=case, name="Ana Lopez", ma_number="10000000002", ssn="223456780")
    attribute_to(late, admin_user)
    late.save()
    attribute_to(late, admin_user)
    late.delete()
    titles = [e["title"] for e in _edits(client, admin_user, case)]
    assert titles == [
        "Participant added: Ana Lopez (SSN ***-**-6780)",
        "Participant removed: Ana Lopez (SSN ***-**-6780)",
    ]


def test_it_keeps_transitions_out_of_the_edits(client, qc_lead, monitor, log_case):
    case = services.case_vet_true(case=log_case(), by=qc_lead)
    case = services.case_mark_processed(
        case=case, by=monitor, mmis_date=timezone.localdate(), mmis_reference="MMIS-42"
    )
    client.force_login(qc_lead)
    timeline = client.get(case.get_absolute_url()).context["timeline"]
    assert [(e["kind"], e["transition"]) for e in timeline] == [
        ("transition", "log"),
        ("transition", "vet_true"),
        ("transition", "mark_processed"),
    ]
    processed = timeline[-1]
    assert {(c.label, c.new) for c in processed["changes"]} == {
        ("MMIS date", f"{timezone.localdate():%m/%d/%Y}"),
        ("MMIS reference", "MMIS-42"),
    }
    assert "state" not in {f.name for f in Case.history.model._meta.get_fields()}


def test_it_names_the_person_on_rows_written_outside_a_request(csr, qc_lead, log_case):
    case = services.case_vet_true(case=log_case(), by=qc_lead)
    rows = Case.history.filter(id=case.pk).order_by("history_date", "history_id")
    assert [(r.history_type, r.history_user, r.history_change_reason) for r in rows] == [
        ("+", csr, "logged"),
        ("~", csr, "log"),
        ("~", qc_lead, "vet_true"),
    ]
    participant_row = Participant.history.get(case_id=case.pk)
    assert participant_row.history_user == csr


def test_the_case_page_runs_the_same_queries_however_long_the_history(
    client, admin_user, qc_lead, log_case, mcos
):
    case = log_case()
    client.force_login(qc_lead)

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(case.get_absolute_url()).status_code == 200
        return len(queries)

    # One edit of each kind first, so the related-record lookups are in both counts.
    names = list(mcos.values())
    participant = case.participants.get()

    def edit(n):
        case.notes = f"note {n}"
        case.target_mco = names[n % len(names)]
        attribute_to(case, admin_user)
        case.save()
        forget_attribution(case)
        participant.name = f"Maria Lopez {n}"
        participant.save()

    edit(0)
    few = page_queries()
    for n in range(1, 12):
        edit(n)
    assert page_queries() == few
    assert len(_edits(client, qc_lead, case)) == 24


def test_it_says_so_when_a_record_predates_its_history(client, admin_user, qc_lead, log_case):
    case = log_case()
    Case.history.filter(id=case.pk).delete()  # as if logged before the history was installed
    case.notes = "Corrected"
    attribute_to(case, admin_user)
    case.save()
    [edit] = _edits(client, qc_lead, case)
    assert edit["changes"] == [] and "earlier values are not known" in edit["detail"]
