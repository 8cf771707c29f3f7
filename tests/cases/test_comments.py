"""Comments on a case (issue 13, part 4): anyone who may see the case may add one; it shows on
the timeline with its author and time, escaped."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import CaseComment


def _comment(client, case, text):
    return client.post(reverse("cases:comment", args=[case.pk]), {"text": text})


@pytest.mark.parametrize("who", ["csr", "supervisor", "qc_lead", "monitor", "admin_user"])
def test_it_lets_anyone_who_sees_the_case_comment(client, request, qc_lead, log_case, who):
    case = services.case_vet_true(case=log_case(), by=qc_lead)  # the monitor sees true cases
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = _comment(client, case, "Consumer called back: <b>prefers</b> mornings")

    assert response.status_code == 302
    comment = CaseComment.objects.get()
    assert (comment.case, comment.author) == (case, user)
    response = client.get(case.get_absolute_url())
    entry = next(e for e in response.context["timeline"] if e["kind"] == "comment")
    assert (entry["by"], entry["at"]) == (user, comment.created_at)
    html = response.content.decode()
    assert "Consumer called back: &lt;b&gt;prefers&lt;/b&gt; mornings" in html
    assert "<b>prefers</b>" not in html


@pytest.mark.parametrize(
    "who, status",
    [
        ("other_csr", 404),
        ("other_supervisor", 404),
        ("monitor", 404),  # an unvetted case is not the State Monitor's to see
        ("pal_rep", 403),
        ("assister_user", 403),
    ],
)
def test_it_refuses_who_may_not_see_the_case(client, request, log_case, who, status):
    case = log_case()
    client.force_login(request.getfixturevalue(who))
    assert _comment(client, case, "Let me in").status_code == status
    assert not CaseComment.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [("", "Write the comment first."), ("x" * 2001, "at most 2000 characters")],
)
def test_it_refuses_an_empty_or_overlong_comment(client, csr, log_case, text, message):
    case = log_case()
    client.force_login(csr)
    response = _comment(client, case, text)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CaseComment.objects.exists()


def test_it_keeps_comments_on_a_withdrawn_case_in_order(client, csr, log_case):
    case = log_case()
    services.case_comment_add(case=case, by=csr, text="Logged for the wrong consumer")
    services.case_withdraw(case=case, by=csr, reason="Wrong consumer")
    client.force_login(csr)
    assert _comment(client, case, "Re-logged as a new case").status_code == 302
    titles = [e["title"] for e in client.get(case.get_absolute_url()).context["timeline"]]
    assert titles == ["Escalated", "Comment", "Withdrawn (logged in error)", "Comment"]
