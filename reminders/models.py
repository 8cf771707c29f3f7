"""One row per reminder or escalation event, written before its email is queued.

The unique key (kind, subject, on) is what makes `send_reminders` idempotent: a second run (or a
second cron host racing the first) inserts nothing for an event already recorded, so it sends
nothing. A row is about one thing (a lead, a report, a lead delivery); the rows of one run that
go to the same reader share one email (`email_key`)."""

from django.db import models
from django.utils import timezone

from .kinds import Kind


class Reminder(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Queued"
        SENT = "sent", "Emailed"
        FAILED = "failed", "Not sent"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What the event is about, e.g. "referral:12", "report:7", "delivery:31".
    subject = models.CharField(max_length=40)
    # The day it belongs to: the contact's due day, the digest's day, the report's due date,
    # the day the lead was queued.
    on = models.DateField()
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    organization = models.ForeignKey(
        "referrals.AssisterOrganization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    report = models.ForeignKey(
        "referrals.AssisterReport",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    # Rows with the same batch and email_key are one email ("organization:3", "coordinators").
    batch = models.UUIDField(db_index=True)
    email_key = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    to = models.TextField("sent to", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject", "on"], name="one_reminder_per_event")
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.subject} · {self.on:%m/%d/%Y}"
