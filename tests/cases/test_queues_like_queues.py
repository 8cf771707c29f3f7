"""Queues that work like queues (issue 13): oldest first, the last filters remembered per queue,
and "vet all N matching" across pages — all or nothing, with the count confirmed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, Kind
from cases.states import State

QC = reverse("cases:qc_queue")


def _numbers(response):
    return [row.record.number for row in response.context["table"].paginated_rows]


@pytest.fixture
def aged(make_cases):
    """Three escalated cases logged 3, 2 and 1 days ago, made newest first."""
    now = timezone.now()
    return [
        make_cases(1, State.ESCALATED, created_at=now - timedelta(days=days))[0]
        for days in (1, 2, 3)
    ]


def test_queues_list_the_case_waiting_longest_first(client, qc_lead, csr, aged):
    client.force_login(qc_lead)
    assert _numbers(client.get(QC)) == [case.number for case in reversed(aged)]
    # The CSR's own cases are not a queue: newest first.
    client.force_login(csr)
    assert _numbers(client.get(reverse("cases:mine"))) == [case.number for case in aged]


def test_each_queue_remembers_its_last_filters_until_cleared(client, qc_lead, monitor, aged):
    client.force_login(qc_lead)
    assert client.get(QC, {"kind": "for_cause", "page": "2"}).status_code == 200
    back = client.get(QC)
    assert back.status_code == 302 and back.url == f"{QC}?kind=for_cause"  # not the page
    assert "Showing the filters you used last" in client.get(back.url).content.decode()

    assert client.get(QC, {"clear": "1"}).status_code == 200
    assert client.get(QC).status_code == 200  # forgotten

    client.get(QC, {"kind": "for_cause"})
    client.force_login(monitor)  # another user's session: nothing remembered
    assert client.get(reverse("cases:monitor_list")).status_code == 200


def test_refused_filters_are_not_remembered(client, qc_lead, aged):
    client.force_login(qc_lead)
    client.get(QC, {"kind": "for_cause"})
    assert client.get(QC, {"older_than": "not-a-number"}).status_code == 400
    assert client.get(QC).status_code == 200  # not sent back to the refused filters


@pytest.fixture
def sixty(make_cases):
    """60 For Cause cases waiting for QC (three pages of 25) and 5 MCT Span ones."""
    return make_cases(60, State.ESCALATED, kind=Kind.FOR_CAUSE), make_cases(5, State.ESCALATED)


def _vet_all(client, expected, verdict="true"):
    return client.post(
        reverse("cases:qc_bulk_vet"),
        {"verdict": verdict, "all_matching": expected, "query": "kind=for_cause"},
        follow=True,
    )


def test_qc_vets_all_sixty_matching_cases_across_three_pages(client, qc_lead, sixty):
    for_cause, mct_span = sixty
    client.force_login(qc_lead)
    page = client.get(QC, {"kind": "for_cause"})
    assert page.context["table"].paginator.num_pages == 3
    assert "Vet all 60 cases matching these filters" in page.content.decode()

    response = _vet_all(client, 60)
    assert "Vetted 60 case(s) true" in response.content.decode()
    assert set(
        Case.objects.filter(pk__in=[c.pk for c in for_cause]).values_list("state", flat=True)
    ) == {State.TRUE_TRACKER}
    assert set(
        Case.objects.filter(pk__in=[c.pk for c in mct_span]).values_list("state", flat=True)
    ) == {State.ESCALATED}


def test_a_count_that_changed_since_the_page_was_shown_vets_nothing(
    client, qc_lead, sixty, make_cases
):
    client.force_login(qc_lead)
    make_cases(1, State.ESCALATED, kind=Kind.FOR_CAUSE)  # logged while QC looked at the page
    response = _vet_all(client, 60)
    assert "Nothing was vetted: 61 cases match these filters now, not 60" in (
        response.content.decode()
    )
    assert not Case.objects.filter(state=State.TRUE_TRACKER).exists()


def test_more_matching_cases_than_one_vetting_takes_are_not_offered_or_vetted(
    client, qc_lead, sixty, monkeypatch
):
    monkeypatch.setattr(services, "BULK_VET_MAX", 50)
    client.force_login(qc_lead)
    page = client.get(QC, {"kind": "for_cause"}).content.decode()
    assert "Vet all" not in page and "narrow them to 50 cases or fewer" in page
    response = _vet_all(client, 60)
    assert "more than 50 cases match these filters now" in response.content.decode()
    assert not Case.objects.filter(state=State.TRUE_TRACKER).exists()


def test_vetting_needs_a_selection_or_all_matching(client, qc_lead, sixty):
    client.force_login(qc_lead)
    response = client.post(reverse("cases:qc_bulk_vet"), {"verdict": "true"}, follow=True)
    assert "Select at least one case to vet." in response.content.decode()
    assert not Case.objects.filter(state=State.TRUE_TRACKER).exists()
