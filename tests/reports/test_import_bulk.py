"""Imports apply their rows in bulk (issue 12, part 5): the number of queries does not grow with
the rows of a chunk, and the bulk services leave exactly what the one-row services leave —
states, fields, field-history rows and transition logs."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases import services as case_services
from cases.models import Case
from cases.states import State
from referrals import services as referral_services
from referrals.models import Referral
from referrals.states import Resolution
from reports import uploads
from reports.assister_import import confirm_report, receive_report
from reports.handoff_import import confirm_handoff, receive_handoff
from reports.models import AppliedRow, Upload
from tracker.workflow import StepFailed

from . import par
from .workbooks import as_upload, download_handoff, fill


def today():
    return timezone.localdate()


def _handoff_upload(client, monitor, cases):
    client.force_login(monitor)
    workbook = download_handoff(client)
    for i, case in enumerate(cases):
        if i % 2:
            fill(workbook, case, processed="N", reason=f"Not in MMIS {i}")
        else:
            fill(workbook, case, processed="Y", mmis_date=today(), mmis_reference=f"R-{i}")
    return as_upload(workbook)


def _fresh(user):
    """The user without permission caches, and no content type cached: each run starts cold."""
    ContentType.objects.clear_cache()
    return type(user).objects.get(pk=user.pk)


def _handoff_queries(client, monitor, cases) -> tuple[int, int]:
    file = _handoff_upload(client, monitor, cases)
    monitor = _fresh(monitor)
    with CaptureQueriesContext(connection) as received:
        upload = receive_handoff(uploaded_file=file, by=monitor)
    assert upload.can_confirm, upload.errors
    with CaptureQueriesContext(connection) as confirmed:
        upload = confirm_handoff(upload=upload, by=monitor)
    assert upload.status == Upload.Status.APPLIED, upload.errors
    return len(received), len(confirmed)


def test_handoff_queries_do_not_grow_with_the_rows(client, monitor, true_case):
    few = _handoff_queries(client, monitor, [true_case() for _ in range(2)])
    many = _handoff_queries(client, monitor, [true_case() for _ in range(12)])
    assert few == many


def _par_queries(client, user, report, leads) -> tuple[int, int]:
    client.force_login(user)
    workbook = par.download(client, report)
    for i, lead in enumerate(leads):
        if i % 2:
            par.fill(workbook, lead, contact_made="N", resolution="Unable to contact")
        else:
            par.fill(workbook, lead, **par.GOOD_ANSWERS, comments=f"Lead {i}")
    file = par.as_upload(workbook)
    user = _fresh(user)
    with CaptureQueriesContext(connection) as received:
        upload = receive_report(report=report, uploaded_file=file, by=user)
    assert upload.can_confirm, upload.errors
    with CaptureQueriesContext(connection) as confirmed:
        upload = confirm_report(upload=upload, by=user)
    assert upload.status == Upload.Status.APPLIED, upload.errors
    return len(received), len(confirmed)


@pytest.mark.parametrize("who", ["assister_user", "pal_coordinator"])
def test_par_queries_do_not_grow_with_the_rows(
    client, request, who, oe5, lakes, make_sent_referral, pal_coordinator, mailoutbox
):
    from referrals.reporting import reports_for_period
    from reports.assister_send import send_report

    user = request.getfixturevalue(who)
    leads = [
        make_sent_referral(organization=lakes, sent_on=date(2017, 11, 6), consumer_name=f"C{i}")
        for i in range(12)
    ]
    (first,) = reports_for_period(oe5[0])
    first = send_report(first, by=pal_coordinator)
    few = _par_queries(client, user, first, leads[:2])
    many = _par_queries(client, user, first, leads)
    assert few == many


# ---- the bulk services leave what the one-row services leave -------------------------------
def _logs(obj) -> list[tuple]:
    return list(
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )
        .order_by("timestamp", "pk")
        .values_list("transition", "source_state", "state", "by", "description")
    )


def _history(obj, fields) -> list[tuple]:
    rows = type(obj).history.filter(id=obj.pk).order_by("history_date", "history_id")
    return [
        (r.history_type, r.history_user_id, r.history_change_reason)
        + tuple(getattr(r, f) for f in fields)
        for r in rows
    ]


CASE_FIELDS = ("kind", "mmis_date", "mmis_reference", "returned_count", "notes", "csr_id")


def _case_end_state(case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    values = tuple(getattr(case, f) for f in ("state", *CASE_FIELDS))
    return values, _logs(case), _history(case, CASE_FIELDS)


def test_bulk_case_services_leave_what_the_one_row_services_leave(monitor, true_case):
    one_by_one = [true_case(), true_case()]
    in_bulk = [true_case(), true_case()]
    case_services.case_mark_processed(
        case=one_by_one[0], by=monitor, mmis_date=today(), mmis_reference="R-1", note="Done"
    )
    case_services.case_return_unprocessed(case=one_by_one[1], by=monitor, reason="Not found")
    case_services.cases_mark_processed(
        items=[case_services.Processed(in_bulk[0], today(), "R-1", "Done")], by=monitor
    )
    case_services.cases_return_unprocessed(
        items=[case_services.Returned(in_bulk[1], "Not found")], by=monitor
    )

    for single, bulk in zip(one_by_one, in_bulk, strict=True):
        assert _case_end_state(single) == _case_end_state(bulk)
        _last_history_matches_the_record(bulk)
    assert Case.objects.get(pk=in_bulk[0].pk).state == State.PROCESSED
    assert Case.objects.get(pk=in_bulk[1].pk).returned_count == 1
    # The objects passed in are current and can be saved again.
    assert in_bulk[1].state == State.RETURNED_BY_MONITOR
    assert (
        Case.objects.get(pk=in_bulk[0].pk).updated_at
        > Case.objects.get(pk=in_bulk[0].pk).created_at
    )


def _last_history_matches_the_record(obj) -> None:
    """The bulk services copy each record's tracked fields into its history row in SQL: the
    row holds every one of them as the record has it, not only the fields compared above."""
    model = type(obj)
    obj = model.objects.get(pk=obj.pk)
    last = model.history.filter(id=obj.pk).latest("history_date", "history_id")
    for field in model.history.model.tracked_fields:
        assert getattr(last, field.attname) == getattr(obj, field.attname), field.name


REFERRAL_FIELDS = (
    "contact_made",
    "contact_date",
    "resolution",
    "comments",
    "outcome_reported_by_id",
)


def _referral_end_state(referral) -> tuple:
    referral = Referral.objects.get(pk=referral.pk)
    values = tuple(getattr(referral, f) for f in ("state", *REFERRAL_FIELDS))
    return values, _logs(referral), _history(referral, REFERRAL_FIELDS)


def test_bulk_outcomes_leave_what_the_one_row_service_leaves(
    lakes, make_sent_referral, assister_user
):
    single, bulk = (
        make_sent_referral(organization=lakes, sent_on=date(2017, 11, 6)) for _ in range(2)
    )
    answers = dict(
        contact_made=True,
        contact_date=date(2017, 11, 7),
        resolution=Resolution.ENROLLED_QHP,
        comments="Silver plan",
    )
    referral_services.referral_report_outcome(
        referral=single, by=assister_user, source="From the sheet", **answers
    )
    referral_services.referrals_report_outcome(
        outcomes=[referral_services.Outcome(referral=bulk, **answers)],
        by=assister_user,
        source="From the sheet",
    )
    assert _referral_end_state(single) == _referral_end_state(bulk)
    _last_history_matches_the_record(bulk)


def test_a_confirmed_report_leaves_what_the_one_row_service_leaves(
    client, oe5, lakes, make_sent_referral, assister_user, pal_coordinator, mailoutbox
):
    """Per lead state the sheet meets (sent, accepted, already reported) and per answer (Y, N,
    an appointment): a confirm and referral_report_outcome row by row leave the same referral,
    transition logs and field history."""
    from referrals.reporting import reports_for_period
    from reports.assister_send import send_report

    def lead():
        return make_sent_referral(organization=lakes, sent_on=date(2017, 11, 6))

    answers = [
        dict(
            contact_made=True,
            contact_date=date(2017, 11, 7),
            resolution=Resolution.ENROLLED_QHP,
            comments="Silver plan",
        ),
        dict(contact_made=False, contact_date=None, resolution=Resolution.UNABLE_TO_CONTACT),
        dict(
            contact_made=True,
            contact_date=date(2017, 11, 8),
            resolution=Resolution.APPOINTMENT_SCHEDULED,
            comments="Monday",
        ),
    ]
    pairs = []  # (single, bulk, answers)
    for start in ("sent", "accepted", "reported"):
        for answer in answers:
            single, bulk = lead(), lead()
            for referral in (single, bulk):
                if start == "accepted":
                    referral_services.referral_accept(referral=referral, by=assister_user)
                elif start == "reported":  # with other answers: the same would be left as is
                    referral_services.referral_report_outcome(
                        referral=referral,
                        by=assister_user,
                        contact_made=True,
                        contact_date=date(2017, 11, 7),
                        resolution=Resolution.ELIGIBLE_MA,
                    )
            pairs.append((single, bulk, answer))
    before = {bulk.pk: Referral.objects.get(pk=bulk.pk).accepted_at for _, bulk, _ in pairs}

    (report,) = reports_for_period(oe5[0])
    report = send_report(report, by=pal_coordinator)
    client.force_login(assister_user)
    workbook = par.download(client, report)
    for _, bulk, answer in pairs:
        par.fill(
            workbook,
            bulk,
            contact_made="Y" if answer["contact_made"] else "N",
            contact_date=answer["contact_date"],
            resolution=Resolution(answer["resolution"]).label,
            comments=answer.get("comments", ""),
        )
    upload = receive_report(report=report, uploaded_file=par.as_upload(workbook), by=assister_user)
    assert upload.can_confirm, upload.errors
    upload = confirm_report(upload=upload, by=assister_user)
    assert upload.status == Upload.Status.APPLIED, upload.errors
    source = f"From the Preferred Assister Report “{upload.original_name}” (upload {upload.pk})"

    for single, bulk, answer in pairs:
        referral_services.referral_report_outcome(
            referral=Referral.objects.get(pk=single.pk), by=assister_user, source=source, **answer
        )
        assert _referral_end_state(single) == _referral_end_state(bulk)
        _last_history_matches_the_record(bulk)
        saved = Referral.objects.get(pk=bulk.pk)
        assert saved.outcome_reported_at is not None and saved.updated_at is not None
        assert saved.accepted_at == (before[bulk.pk] or saved.accepted_at)
        assert saved.accepted_at is not None


def test_a_confirmed_handoff_leaves_what_the_one_row_services_leave(client, monitor, true_case):
    """Per case the sheet meets (fresh; returned before, whose count goes on from its stored
    value) and per answer (Y, N): a confirm and case_mark_processed / case_return_unprocessed
    row by row leave the same case, transition logs and field history."""
    answers = [
        dict(processed="Y", mmis_date=today(), mmis_reference="MMIS-77"),
        dict(processed="N", reason="Participant not found in MMIS"),
    ]
    pairs = []  # (single, bulk, answer)
    for kind, returned_before in (("mct_span", 0), ("for_cause", 2)):
        for answer in answers:
            single, bulk = true_case(kind=kind), true_case(kind=kind)
            # A fixture: cases QC sent back to the State Monitors after earlier returns.
            Case.objects.filter(pk__in=[single.pk, bulk.pk]).update(returned_count=returned_before)
            pairs.append((single, bulk, answer))
    before = {bulk.pk: Case.objects.get(pk=bulk.pk).updated_at for _, bulk, _ in pairs}

    client.force_login(monitor)
    workbook = download_handoff(client)
    for _, bulk, answer in pairs:
        fill(workbook, bulk, **answer)
    upload = receive_handoff(uploaded_file=as_upload(workbook), by=monitor)
    assert upload.can_confirm, upload.errors
    upload = confirm_handoff(upload=upload, by=monitor)
    assert upload.status == Upload.Status.APPLIED, upload.errors
    assert (upload.processed_count, upload.returned_count) == (2, 2)

    for single, bulk, answer in pairs:
        case = Case.objects.get(pk=single.pk)
        if answer["processed"] == "Y":
            day, reference = answer["mmis_date"], answer["mmis_reference"]
            case_services.case_mark_processed(
                case=case,
                by=monitor,
                mmis_date=day,
                mmis_reference=reference,
                note=f"Processed in MMIS on {day:%m/%d/%Y} ({reference}); from the hand-off sheet",
            )
        else:
            case_services.case_return_unprocessed(case=case, by=monitor, reason=answer["reason"])
        assert _case_end_state(single) == _case_end_state(bulk)
        _last_history_matches_the_record(bulk)
        saved = Case.objects.get(pk=bulk.pk)
        assert saved.updated_at > before[bulk.pk]  # the sheet's row check no longer matches
        applied = AppliedRow.objects.get(upload=upload, case=bulk)
        assert (applied.mmis_date, applied.mmis_reference, applied.reason) == (
            answer.get("mmis_date"),
            answer.get("mmis_reference", ""),
            answer.get("reason", ""),
        )


def test_a_bulk_step_that_fails_names_its_row_and_saves_nothing(monitor, true_case):
    fine, moved = true_case(), true_case()
    case_services.case_mark_processed(
        case=moved, by=monitor, mmis_date=today(), mmis_reference="R-0"
    )
    items = [
        case_services.Returned(fine, "Not found"),
        case_services.Returned(moved, "Not found"),
    ]
    with pytest.raises(StepFailed) as failed:
        case_services.cases_return_unprocessed(items=items, by=monitor)
    assert failed.value.index == 1
    assert "is Processed" in str(failed.value)
    assert Case.objects.get(pk=fine.pk).state == State.TRUE_TRACKER
    assert _logs(fine)[-1][0] == "vet_true"


def test_a_bulk_step_refused_to_someone_without_the_permission(qc_lead, true_case):
    with pytest.raises(StepFailed) as failed:
        case_services.cases_return_unprocessed(
            items=[case_services.Returned(true_case(), "Not found")], by=qc_lead
        )
    assert "You may not return unprocessed" in str(failed.value)


def test_a_case_moved_behind_the_bulk_service_is_a_conflict(monitor, true_case):
    case = true_case()
    Case.objects.filter(pk=case.pk).update(state=State.RETURNED_BY_MONITOR)  # someone else
    with pytest.raises(case_services.CaseConflict):
        case_services.cases_return_unprocessed(
            items=[case_services.Returned(case, "Not found")], by=monitor
        )
    assert _logs(case)[-1][0] == "vet_true"


# ---- the preview is shown a page at a time --------------------------------------------------
def test_the_preview_shows_its_rows_a_page_at_a_time(client, monitor, true_case, monkeypatch):
    monkeypatch.setattr(uploads, "PREVIEW_PER_PAGE", 2)
    cases = [true_case() for _ in range(3)]
    upload = receive_handoff(uploaded_file=_handoff_upload(client, monitor, cases), by=monitor)

    first = client.get(upload.get_absolute_url()).content.decode()
    second = client.get(upload.get_absolute_url() + "?page=2").content.decode()
    beyond = client.get(upload.get_absolute_url() + "?page=99")

    assert cases[0].number in first and cases[2].number not in first
    assert "Rows 1–2 of 3" in first and "Page 1 of 2" in first
    assert cases[2].number in second and cases[0].number not in second
    assert beyond.status_code == 200 and cases[2].number in beyond.content.decode()
    assert 'Will be processed in MMIS</dt><dd data-count="processed">2' in first
