import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from referrals import services
from referrals.states import Resolution

pytestmark = pytest.mark.django_db


@pytest.fixture
def brokers(make_org):
    return make_org("A Brokers", kind="broker"), make_org("B Brokers", kind="broker")


@pytest.fixture
def sent(brokers, make_referral, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(organization=brokers[0])
    referral.refresh_from_db()
    assert referral.state == "sent"
    return referral


def test_it_logs_a_timeline(sent, pal_rep):
    log = list(StateLog.objects.for_(sent).order_by("pk").values_list("transition", "state", "by"))
    assert log == [("submit", "queued", pal_rep.pk), ("mark_sent", "sent", None)]


def test_it_reassigns_through_the_page(
    client, pal_coordinator, sent, brokers, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(pal_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("referrals:action", args=[sent.pk, "reassign"]),
            {"organization": brokers[1].pk, "reason": "Consumer prefers B"},
        )
    sent.refresh_from_db()
    assert sent.organization == brokers[1]
    assert sent.state == "sent"
    assert mailoutbox[-1].to == [brokers[1].lead_email]
    transitions = list(
        StateLog.objects.for_(sent).order_by("pk").values_list("transition", flat=True)
    )
    assert transitions == ["submit", "mark_sent", "reassign", "mark_sent"]
    page = client.get(sent.get_absolute_url()).content.decode()
    assert "Consumer prefers B" in page


def test_it_refuses_to_reassign_to_an_ineligible_org(pal_coordinator, sent, make_org):
    elsewhere = make_org("Ramsey Brokers", kind="broker", counties=["Ramsey"])
    with pytest.raises(ValidationError):
        services.referral_reassign(
            referral=sent, organization=elsewhere, by=pal_coordinator, reason="x"
        )


def test_it_withdraws_and_cancels_pending_delivery(pal_coordinator, brokers, make_referral):
    referral = make_referral(organization=brokers[0])  # on_commit not run: still pending
    services.referral_withdraw(referral=referral, by=pal_coordinator, reason="Duplicate")
    assert referral.state == "withdrawn"
    assert referral.deliveries.get().status == "cancelled"
    with pytest.raises(TransitionNotAllowed):
        services.referral_withdraw(referral=referral, by=pal_coordinator, reason="again")


def test_it_reports_an_outcome(pal_coordinator, sent):
    services.referral_report_outcome(
        referral=sent,
        by=pal_coordinator,
        contact_made=True,
        contact_date=timezone.localdate(),
        resolution=Resolution.ENROLLED_QHP,
        comments="Enrolled in a silver plan",
    )
    sent.refresh_from_db()
    assert sent.state == "completed"
    assert sent.get_resolution_display() == "Enrolled in QHP"
    assert sent.outcome_reported_by == pal_coordinator


def test_it_lets_only_the_orgs_assisters_report_outcomes(sent, assister_user, brokers):
    with pytest.raises(PermissionDenied):
        services.referral_report_outcome(
            referral=sent,
            by=assister_user,
            contact_made=False,
            contact_date=None,
            resolution=Resolution.UNABLE_TO_CONTACT,
        )
    brokers[0].members.add(assister_user)
    services.referral_report_outcome(
        referral=sent,
        by=assister_user,
        contact_made=False,
        contact_date=None,
        resolution=Resolution.UNABLE_TO_CONTACT,
    )
    assert sent.state == "completed"


def test_it_has_the_nine_resolutions():
    assert len(Resolution.choices) == 9


def test_it_cannot_resend_a_lead_that_did_not_fail(pal_coordinator, sent):
    with pytest.raises(TransitionNotAllowed):
        services.referral_resend(referral=sent, by=pal_coordinator)


def test_the_rep_cannot_resend(pal_rep, brokers, make_referral):
    referral = make_referral(organization=brokers[0])
    referral.mark_failed()
    referral.save()
    with pytest.raises(PermissionDenied):
        services.referral_resend(referral=referral, by=pal_rep)


def test_a_coordinator_sees_a_failed_lead_fixes_the_contact_and_resends_it(
    client, pal_coordinator, brokers, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    referral = make_referral(organization=brokers[0])
    referral.mark_failed(description="Mailbox full")
    referral.save()
    client.force_login(pal_coordinator)

    listed = client.get(reverse("referrals:list"), {"state": "failed"})
    assert [row.record for row in listed.context["table"].paginated_rows] == [referral]
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "Resend the lead" in page
    assert reverse("referrals:organization_edit", args=[brokers[0].pk]) in page

    brokers[0].lead_email = "fixed@a-brokers.example.org"
    services.organization_update(organization=brokers[0], by=pal_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("referrals:action", args=[referral.pk, "resend"]), {"note": ""})
    referral.refresh_from_db()
    assert referral.state == "sent"
    assert mailoutbox[-1].to == ["fixed@a-brokers.example.org"]


def test_it_resends_all_failed_leads_of_an_organization(
    client, pal_coordinator, brokers, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    failed = [make_referral(organization=brokers[0]) for _ in range(2)]
    for referral in failed:
        referral.mark_failed()
        referral.save()
    client.force_login(pal_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("referrals:organization_resend_failed", args=[brokers[0].pk]))
    assert len(mailoutbox) == 2
    assert {r.state for r in brokers[0].referrals.all()} == {"sent"}
