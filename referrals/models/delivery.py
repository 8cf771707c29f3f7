"""Lead delivery records: one LeadDelivery per lead email, one DeliveryAttempt per try
(the logic lives in referrals/delivery.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .directory import AssisterOrganization
from .referral import Referral


class LeadDelivery(models.Model):
    """One lead email to one organization's address. A referral gets a new delivery when it is
    first sent, resent or reassigned; every try is a DeliveryAttempt."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="deliveries")
    organization = models.ForeignKey(
        AssisterOrganization, on_delete=models.PROTECT, related_name="+"
    )
    to_email = models.EmailField(
        blank=True, help_text="Filled in from the organization at send time."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker is sending; another worker (or the sweep) keeps off until it passes.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "lead deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"Lead {self.referral.number} → {self.organization} ({self.get_status_display()})"


class DeliveryAttempt(models.Model):
    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        INTERRUPTED = "interrupted", "Interrupted (worker stopped)"

    delivery = models.ForeignKey(LeadDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    to_email = models.EmailField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="one_attempt_per_number_per_delivery"
            )
        ]

    def __str__(self):
        return f"Attempt {self.number} of {self.delivery}"
