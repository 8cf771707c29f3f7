"""The header search box finds a case by number, MA number, full SSN and name (partial, any
case, any accents) for those who may see it, and for no one else."""

import pytest
from django.urls import reverse

from cases.models import Case
from tracker.models import IdentifierAccess

from .conftest import MA, SSN

pytestmark = pytest.mark.django_db
URL = reverse("search:search")


def search(client, user, q):
    client.force_login(user)
    return client.get(URL, {"q": q})


def found_cases(response):
    return [case.pk for case in response.context["results"].cases.records]


# The consumer's phone as the CSR typed it at intake (410-555-0142) and as a caller reads it.
PHONES = ["410-555-0142", "(410) 555 0142", "4105550142"]
KEYS = [
    MA,
    "1000 0000 001",
    SSN,
    "123 45 6789",
    "123456789",
    "maría lópez",
    "LOPEZ",
    "ria lo",
    *PHONES,
]


@pytest.mark.parametrize("q", KEYS)
@pytest.mark.parametrize("who", ["csr", "supervisor", "qc_lead"])
def test_it_finds_the_case_by_every_key_for_those_who_may_see_it(
    client, request, maria_case, q, who
):
    response = search(client, request.getfixturevalue(who), q)
    assert response.status_code == 200
    assert found_cases(response) == [maria_case.pk]
    assert maria_case.number in response.content.decode()


@pytest.mark.parametrize("q", [*KEYS, "MCO-{pk:06d}", "{pk}"])
@pytest.mark.parametrize("who", ["other_csr", "other_supervisor", "pal_rep", "assister_user"])
def test_it_finds_nothing_for_those_who_may_not(client, request, maria_case, q, who):
    response = search(client, request.getfixturevalue(who), q.format(pk=maria_case.pk))
    assert response.status_code == 200
    assert found_cases(response) == []
    assert "Nothing found that you may see" in response.content.decode()


@pytest.mark.parametrize("q", ["MCO-{pk:06d}", "mco {pk}", "{pk}"])
def test_an_exact_case_number_goes_straight_to_the_case(client, csr, maria_case, q):
    response = search(client, csr, q.format(pk=maria_case.pk))
    assert response.status_code == 302
    assert response["Location"] == maria_case.get_absolute_url()


@pytest.mark.parametrize("q", ["6789", "45-6789", "123-45-678", "***-**-6789", "12345678"])
def test_a_partial_ssn_finds_nothing(client, qc_lead, maria_case, q):
    response = search(client, qc_lead, q)
    assert response.status_code == 200
    assert found_cases(response) == []
    assert not IdentifierAccess.objects.exists()


def test_a_search_by_ssn_is_written_to_the_access_log_masked(client, qc_lead, maria_case):
    response = search(client, qc_lead, SSN)
    html = response.content.decode()
    access = IdentifierAccess.objects.get()
    assert (access.user, access.action) == (qc_lead, IdentifierAccess.SEARCH)
    assert access.object_ids == [maria_case.pk]
    assert "***-**-6789" in access.what
    # Neither the log nor the page's text holds the SSN in clear (the address bar does, and the
    # session warning's "stay signed in" posts back to that address).
    assert "Results for “***-**-6789”" in html
    page = html.split('id="session-warning"')[0]
    assert SSN not in page and "123456789" not in page
    assert 'value=""' in page.split('id="header-search"')[1].split(">")[0]
    assert "123-45" not in access.what and "12345" not in access.what


def test_a_search_by_ssn_that_finds_nothing_visible_is_not_logged(client, other_csr, maria_case):
    search(client, other_csr, SSN)
    assert not IdentifierAccess.objects.exists()


def test_a_closed_case_is_found_too(client, csr, log_case):
    from cases.models import Kind, Participant

    case = log_case(
        kind=Kind.PROVIDER_TERMINATION,
        angela_melody_outcome="question_answered",
        participants=[Participant(name="Tom Becker", ma_number="10000000009", ssn="223456789")],
    )
    assert found_cases(search(client, csr, "becker")) == [case.pk]


def test_it_asks_for_three_letters_of_a_name(client, csr, maria_case):
    response = search(client, csr, "lo")
    assert found_cases(response) == []
    assert "at least 3 letters" in response.content.decode()


def test_results_are_bounded_and_the_query_count_is_constant(
    client, csr, log_case, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Participant

    def make(n, start):
        for i in range(n):
            log_case(
                participants=[
                    Participant(
                        name=f"Rosa Diaz {i}",
                        ma_number=f"2{start + i:010d}",
                        ssn=f"12345{start + i + 1001:04d}",
                    )
                ]
            )

    make(1, 0)
    client.force_login(csr)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL, {"q": "rosa diaz"}).status_code == 200
    make(24, 100)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"q": "rosa diaz"})
    assert len(many) == len(one)
    assert len(found_cases(response)) == 20
    assert response.context["results"].cases.more
    assert "More cases match: refine the search" in response.content.decode()
    assert Case.objects.count() == 25
