"""The Angela Melody picker (issue 13): open windows first, closed and future windows marked and
not selectable, and a request outside the window carried into a For Cause Reason form."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, ProviderTermination

AM_URL = reverse("cases:intake", args=["provider_termination"])
FOR_CAUSE_URL = reverse("cases:intake", args=["for_cause"])


@pytest.fixture
def csr_client(client, csr):
    client.force_login(csr)
    return client


@pytest.fixture
def windows(mcos):
    today = timezone.localdate()
    mco = mcos["Maryland Physicians Care"]

    def make(name, start, end):
        return ProviderTermination.objects.create(
            mco=mco,
            provider_name=name,
            window_start=today + timedelta(days=start),
            window_end=today + timedelta(days=end),
        )

    return {
        "open_late": make("Open Closing Late", -5, 40),
        "open_soon": make("Open Closing Soon", -30, 2),
        "open_today_only": make("Open Today Only", 0, 0),
        "future": make("Opens Next Month", 30, 60),
        "closed": make("Closed Last Week", -60, -7),
        "ancient": make("Closed Years Ago", -900, -800),
    }


def _select(html):
    return BeautifulSoup(html, "html.parser").find("select", attrs={"name": "provider_termination"})


def test_open_windows_come_first_closing_soonest_and_the_rest_are_disabled(csr_client, windows):
    select = _select(csr_client.get(AM_URL).content.decode())
    groups = {g["label"]: g.find_all("option") for g in select.find_all("optgroup")}
    labels = list(groups)
    assert labels[0] == "Open now"
    opened = [o.get_text() for o in groups["Open now"]]
    assert [text.split(" leaving")[0] for text in opened] == [
        "Open Today Only",
        "Open Closing Soon",
        "Open Closing Late",
    ]
    assert not any(o.has_attr("disabled") for o in groups["Open now"])
    others = [o for label in labels[1:] for o in groups[label]]
    assert {o.get_text().split(" leaving")[0] for o in others} == {
        "Opens Next Month",
        "Closed Last Week",
    }
    assert all(o.has_attr("disabled") for o in others)
    assert any("Window closed" in label for label in labels)
    assert any("Not open yet" in label for label in labels)
    # A window closed years ago is not offered at all.
    assert "Closed Years Ago" not in str(select)


@pytest.mark.parametrize("which", ["closed", "future"])
def test_a_crafted_post_of_a_window_not_open_is_still_refused(csr_client, windows, which, mcos):
    data = {
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-0-name": "Maria Lopez",
        "participants-0-ma_number": "10000000001",
        "participants-0-ssn": "123-45-6789",
        "provider_termination": str(windows[which].pk),
        "angela_melody_outcome": "question_answered",
        "issues_resolved": "no",
        "supervisor_requested": "no",
    }
    response = csr_client.post(AM_URL, data)
    assert response.status_code == 200
    assert "is not open today" in response.content.decode()
    assert not Case.objects.exists()


def test_the_carry_button_fills_a_for_cause_form_with_what_was_typed(csr_client, windows, mcos):
    page = BeautifulSoup(csr_client.get(AM_URL).content.decode(), "html.parser")
    button = page.find("button", attrs={"name": "carry_from"})
    assert button["formaction"] == FOR_CAUSE_URL
    # Enter submits the form's first submit button: it must be "Log the case", not the carry.
    assert page.find("form", id="intake-form").find("button", type="submit") is not button

    target = mcos["Priority Partners"]
    data = {
        "carry_from": "provider_termination",
        "participants-TOTAL_FORMS": "3",
        "participants-INITIAL_FORMS": "0",
        "participants-0-name": "Maria Lopez",
        "participants-0-ma_number": "1000 0000 001",
        "participants-0-ssn": "123-45-6789",
        "participants-1-name": "Removed Person",
        "participants-1-ma_number": "10000000002",
        "participants-1-DELETE": "on",
        "participants-2-name": "Ana Lopez",
        "participants-2-ma_number": "10000000003",
        "participants-2-ssn": "",
        "provider_termination": str(windows["closed"].pk),
        "target_mco": str(target.pk),
        "notes": "Consumer's PCP left in October.",
        "consumer_phone": "612-555-0142",
        "best_time_to_call": "Mornings",
        "issues_resolved": "no",
        "supervisor_requested": "yes",
    }
    response = csr_client.post(FOR_CAUSE_URL, data)
    assert response.status_code == 200
    assert not Case.objects.exists()  # nothing saved until the CSR logs it
    html = response.content.decode()
    page = BeautifulSoup(html, "html.parser")
    assert page.find("h1").get_text() == "Log a case: For Cause Reason"
    assert "What you typed is carried over" in html
    names = [i["value"] for i in page.select("input[name$='-name']") if i.get("value")]
    assert names == ["Maria Lopez", "Ana Lopez"]
    assert page.find("input", attrs={"name": "participants-0-ma_number"})["value"] == (
        "1000 0000 001"
    )
    selected = page.find("select", attrs={"name": "target_mco"}).find("option", selected=True)
    assert selected["value"] == str(target.pk)
    notes = page.find("textarea", attrs={"name": "notes"}).get_text().lstrip("\n")
    assert "Closed Last Week" in notes and "Consumer's PCP left in October." in notes
    assert page.find("input", attrs={"name": "supervisor_requested", "value": "yes"}).has_attr(
        "checked"
    )
    assert page.find("input", attrs={"name": "consumer_phone"})["value"] == "612-555-0142"
    assert page.find(attrs={"name": "best_time_to_call"})["value"] == "Mornings"
    # No error is shown for the For Cause Reason the CSR has not chosen yet.
    assert "errorlist" not in html

    # Choosing the reason and posting the carried form logs a For Cause Reason case.
    logged = {k: v for k, v in data.items() if k not in {"carry_from", "provider_termination"}}
    logged.update(
        {"for_cause_reason": "new_county", "notes": notes, "participants-2-ssn": "234-56-7890"}
    )
    response = csr_client.post(FOR_CAUSE_URL, logged)
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.kind == "for_cause"
    assert sorted(p.name for p in case.participants.all()) == ["Ana Lopez", "Maria Lopez"]
    assert "Closed Last Week" in case.notes


@pytest.mark.parametrize(
    "crafted",
    [
        {"participants-TOTAL_FORMS": "99999999"},
        {"participants-TOTAL_FORMS": "-3"},
        {"participants-TOTAL_FORMS": "x", "target_mco": "'; drop"},
        {"provider_termination": "999999999999999999999", "notes": "x" * 50_000},
        {"issues_resolved": "maybe", "target_mco": "0"},
    ],
)
def test_crafted_carry_posts_render_a_bounded_form(csr_client, windows, crafted):
    response = csr_client.post(FOR_CAUSE_URL, {"carry_from": "provider_termination", **crafted})
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert len(page.select("#participant-rows fieldset")) <= 50
    assert len(page.find("textarea", attrs={"name": "notes"}).get_text().lstrip("\n")) <= 2_000
    assert not Case.objects.exists()


def test_the_carry_is_for_csrs_only(client, qc_lead, windows):
    client.force_login(qc_lead)
    response = client.post(FOR_CAUSE_URL, {"carry_from": "provider_termination"})
    assert response.status_code == 403
