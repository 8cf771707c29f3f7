"""Lead delivery: recorded, retried, never lost, never sent twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from referrals import delivery, services
from referrals.models import DeliveryAttempt, LeadDelivery, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(make_org):
    return make_org(
        "Twin Cities Broker Enrollment Center", kind="broker", lead_email="leads@tcbec.example.org"
    )


@pytest.fixture
def send_fails():
    """The email backend raises on every send."""
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("SMTP server refused the connection"),
    ) as patched:
        yield patched


def _make_due(lead):
    LeadDelivery.objects.filter(pk=lead.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def _sweep():
    return delivery.sweep(min_age=timedelta(0))


def test_it_sends_the_lead_after_commit(
    broker, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(organization=broker)
        assert mailoutbox == []  # nothing leaves before the commit

    referral.refresh_from_db()
    assert referral.state == "sent"
    assert referral.sent_at is not None
    assert referral.contact_due_on is not None
    assert [m.to for m in mailoutbox] == [["leads@tcbec.example.org"]]
    lead = referral.deliveries.get()
    assert lead.status == "sent"
    assert [(a.number, a.outcome) for a in lead.attempts.all()] == [(1, "sent")]


def test_it_sends_nothing_if_the_referral_rolls_back(
    broker, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                make_referral(organization=broker)
                raise RuntimeError("crash before commit")
    assert callbacks == []
    assert mailoutbox == []
    assert not Referral.objects.exists()


def test_it_keeps_the_referral_and_retries_when_the_email_backend_raises(
    broker, make_referral, mailoutbox, send_fails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(organization=broker)

    referral.refresh_from_db()
    assert referral.state == "queued"  # saved, not lost; still on its way
    lead = referral.deliveries.get()
    assert lead.status == "pending"
    assert lead.next_attempt_at > timezone.now()
    assert "SMTP server refused" in lead.last_error
    attempt = lead.attempts.get()
    assert attempt.outcome == "failed" and "SMTP server refused" in attempt.error

    # Not due yet: the sweep leaves it alone. Coordinators see the trouble already.
    assert _sweep() == 0
    assert Referral.objects.for_lists().get().retrying

    # Later the mail server is back and the retry is due.
    send_fails.side_effect = None
    send_fails.return_value = 1
    _make_due(lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert _sweep() == 1
    lead.refresh_from_db()
    referral.refresh_from_db()
    assert lead.status == "sent"
    assert [a.outcome for a in lead.attempts.all()] == ["failed", "sent"]
    assert referral.state == "sent"


def test_it_marks_the_referral_failed_after_the_last_attempt_and_a_coordinator_resends(
    broker,
    make_referral,
    mailoutbox,
    send_fails,
    pal_coordinator,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(organization=broker)
    lead = referral.deliveries.get()
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        _make_due(lead)
        with django_capture_on_commit_callbacks(execute=True):
            _sweep()

    lead.refresh_from_db()
    referral.refresh_from_db()
    assert lead.attempt_count == delivery.MAX_ATTEMPTS
    assert lead.status == "failed"
    assert referral.state == "failed"
    assert Referral.objects.filter(state="failed").count() == 1  # what coordinators see
    assert _sweep() == 0  # a failed lead waits for a person

    # The coordinator fixes the contact and resends.
    send_fails.side_effect = None
    send_fails.return_value = 1
    broker.lead_email = "intake@tcbec.example.org"
    services.organization_update(organization=broker, by=pal_coordinator, note="New inbox")
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_resend(referral=referral, by=pal_coordinator)
    referral.refresh_from_db()
    assert referral.state == "sent"
    new_lead = referral.deliveries.order_by("pk").last()
    assert new_lead.to_email == "intake@tcbec.example.org"
    assert new_lead.status == "sent"


def test_backoff_grows():
    waits = [delivery.backoff(n) for n in range(1, delivery.MAX_ATTEMPTS)]
    assert waits == sorted(waits) and len(set(waits)) == len(waits)


def test_it_sends_each_lead_exactly_once_when_the_sweep_runs_after_a_crash(
    broker, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    # The process dies between commit and send: the enqueue never happens.
    with mock.patch("referrals.delivery.enqueue"):
        with django_capture_on_commit_callbacks(execute=True):
            lost = [
                make_referral(organization=broker, consumer_name=f"Consumer {i}") for i in range(3)
            ]
    assert mailoutbox == []
    assert LeadDelivery.objects.filter(status="pending").count() == 3

    # The sweep runs (twice, and a duplicate task arrives): each lead goes out once.
    with django_capture_on_commit_callbacks(execute=True):
        assert _sweep() == 3
        assert _sweep() == 0
        for lead in LeadDelivery.objects.all():
            assert delivery.deliver(lead.pk).startswith("nothing to do")

    assert sorted(m.extra_headers["X-PAL-Lead"] for m in mailoutbox) == sorted(
        r.number for r in lost
    )
    assert DeliveryAttempt.objects.count() == 3
    assert set(Referral.objects.values_list("state", flat=True)) == {"sent"}


def test_it_leaves_a_claimed_lead_alone_and_retries_it_when_the_claim_expires(
    broker, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    with mock.patch("referrals.delivery.enqueue"):
        with django_capture_on_commit_callbacks(execute=True):
            referral = make_referral(organization=broker)
    lead = referral.deliveries.get()
    # A worker claimed it, wrote its attempt and died while sending.
    LeadDelivery.objects.filter(pk=lead.pk).update(
        claimed_until=timezone.now() + timedelta(minutes=1), attempt_count=1
    )
    DeliveryAttempt.objects.create(delivery=lead, number=1, to_email=broker.lead_email)

    assert delivery.deliver(lead.pk) == "being sent by another worker"
    assert _sweep() == 0

    LeadDelivery.objects.filter(pk=lead.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _sweep() == 1
    assert len(mailoutbox) == 1
    assert [a.outcome for a in lead.attempts.all()] == ["interrupted", "sent"]


def test_it_does_not_send_to_an_org_suspended_after_the_referral(
    broker, make_referral, mailoutbox, pal_coordinator, make_org, django_capture_on_commit_callbacks
):
    with mock.patch("referrals.delivery.enqueue"):
        with django_capture_on_commit_callbacks(execute=True):
            referral = make_referral(organization=broker)
    services.organization_suspend(organization=broker, by=pal_coordinator, reason="No capacity")
    with django_capture_on_commit_callbacks(execute=True):
        _sweep()
    referral.refresh_from_db()
    assert mailoutbox == []
    assert referral.state == "failed"

    other = make_org("Metro Insurance Enrollment Center", kind="broker")
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_reassign(
            referral=referral, organization=other, by=pal_coordinator, reason="Original suspended"
        )
    referral.refresh_from_db()
    assert referral.state == "sent"
    assert referral.organization == other
    assert mailoutbox[0].to == [other.lead_email]


def test_it_puts_every_seed_field_in_the_lead_email(
    broker, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(
            organization=broker, determination_qhp=True, determination_ma=False
        )
    message = mailoutbox[0]
    html = message.alternatives[0][0]
    for text in [message.body, html]:
        for expected in [
            "Maria Lopez",
            "612-555-0142",
            "maria.lopez@example.org",
            "Hennepin",
            "Spanish",
            "Does the consumer have an active account?",
            "Does the consumer have an active application?",
            "What is the household&#x27;s current determination(s)?"
            if text is html
            else "What is the household's current determination(s)?",
            "QHP",
            "Why is the consumer seeking help from an assister?",
            "Wants help comparing QHP plans in person",
            "What guidance was the consumer provided?",
            "Explained the PAL program",
            "Did the consumer consent to have their information sent to an assister?",
            referral.number,
        ]:
            assert expected in text, expected
    assert referral.number in message.subject
