"""Every Django admin page that shows a full SSN writes an IdentifierAccess row naming the case;
pages that show none write nothing."""

import re

import pytest
from django.urls import reverse

from cases import services
from cases.models import Participant
from tracker.models import IdentifierAccess

from ..admin_forms import change_form_data
from ..conftest import make_user

FULL_SSN = re.compile(r"123-?45-?6789")


@pytest.fixture
def superuser(db):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_monitor(monitor):
    monitor.is_staff = True
    monitor.save()
    return monitor


@pytest.fixture
def staff_qc(qc_lead):
    qc_lead.is_staff = True
    qc_lead.save()
    return qc_lead


@pytest.fixture
def true_case(log_case, qc_lead):
    return services.case_vet_true(case=log_case(), by=qc_lead)


def change_url(case):
    return reverse("admin:cases_case_change", args=[case.pk])


@pytest.mark.parametrize("who", ["staff_monitor", "admin_user", "superuser"])
def test_it_logs_the_change_page_for_everyone_who_sees_full_ssns(client, request, true_case, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    page = client.get(change_url(true_case)).content.decode()

    assert FULL_SSN.search(page)
    access = IdentifierAccess.objects.get()
    assert (access.user, access.action, access.object_ids) == (
        user,
        IdentifierAccess.VIEW,
        [true_case.pk],
    )
    assert access.what == f"admin: case {true_case.number}"


def test_it_writes_one_row_per_page_view(client, admin_user, true_case):
    client.force_login(admin_user)
    for _ in range(80):
        client.get(change_url(true_case))
    assert IdentifierAccess.objects.filter(object_ids=[true_case.pk]).count() == 80


def test_it_writes_nothing_for_those_who_see_masked_ssns(client, staff_qc, true_case):
    client.force_login(staff_qc)
    page = client.get(change_url(true_case)).content.decode()
    assert "***-**-6789" in page and not FULL_SSN.search(page)
    assert not IdentifierAccess.objects.exists()


def test_it_logs_a_change_page_sent_back_with_errors(client, admin_user, true_case):
    client.force_login(admin_user)
    data = change_form_data(client.get(change_url(true_case)))
    data["participants-0-ma_number"] = "not a number"
    before = IdentifierAccess.objects.count()

    response = client.post(change_url(true_case), data)

    assert response.status_code == 200 and FULL_SSN.search(response.content.decode())
    assert IdentifierAccess.objects.count() == before + 1


def test_no_admin_page_shows_a_full_ssn_without_a_row(client, superuser, true_case):
    """A crawl of the case admin as a superuser: a page either shows no full SSN, or wrote a row
    for the case it showed."""
    urls = [
        reverse("admin:index"),
        reverse("admin:app_list", args=["cases"]),
        reverse("admin:cases_case_changelist"),
        reverse("admin:cases_case_changelist") + "?q=Maria",
        change_url(true_case),
        reverse("admin:cases_case_history", args=[true_case.pk]),
        reverse("admin:cases_case_delete", args=[true_case.pk]),
        reverse("admin:cases_case_transition", args=[true_case.pk, "mark_processed"]),
        reverse("admin:tracker_identifieraccess_changelist"),
    ]
    client.force_login(superuser)
    for url in urls:
        before = IdentifierAccess.objects.count()
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        if FULL_SSN.search(response.content.decode()):
            assert IdentifierAccess.objects.count() == before + 1, url
            assert IdentifierAccess.objects.order_by("-pk").first().object_ids == [true_case.pk]
    # The change list lists cases without their participants' SSNs: nothing to log there.
    changelist = client.get(reverse("admin:cases_case_changelist")).content.decode()
    assert true_case.number in changelist and not FULL_SSN.search(changelist)


def test_it_records_an_admin_participant_edit_with_the_admin_as_author(
    client, admin_user, true_case
):
    client.force_login(admin_user)
    data = change_form_data(client.get(change_url(true_case)))
    data["participants-0-ssn"] = "123454321"

    response = client.post(change_url(true_case), data)

    assert response.status_code == 302
    participant = true_case.participants.get()
    assert participant.ssn == "123454321"
    latest = Participant.history.filter(id=participant.pk).latest("history_date")
    assert latest.history_user == admin_user
    assert (latest.ssn_masked, latest.ssn_changed) == ("***-**-4321", True)
