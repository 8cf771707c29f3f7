"""Messages between an assister organization and MNsure's single point of contact (seed: "a
single point of contact at MNsure so that preferred assister issues can be resolved quickly";
issue 14 replaces "send an email to assisterleads@"). A thread is about the organization, or
about one of its leads; coordinators answer in the app."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tracker import limits
from tracker.limits import bounded_text

from .directory import AssisterOrganization
from .referral import Referral


class Thread(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organization = models.ForeignKey(
        AssisterOrganization, on_delete=models.CASCADE, related_name="threads"
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        related_name="threads",
        null=True,
        blank=True,
        verbose_name="about the lead",
    )
    subject = models.CharField(max_length=limits.SUBJECT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The organization wrote last and MNsure has not answered yet: the coordinators' count.
    awaiting_exchange = models.BooleanField(default=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "awaiting_exchange", "-last_message_at"], name="thread_queue"
            )
        ]

    def __str__(self):
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Written by MNsure's side (a coordinator), not the organization's.
    from_exchange = models.BooleanField(default=False)
    body = bounded_text("message", limit=limits.NOTE)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.author} on {self.thread}"
