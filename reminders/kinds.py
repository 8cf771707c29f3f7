"""The kinds of reminder and escalation (issue 14, item 5), each turned off by naming it in
REMINDERS_OFF. The values are the names operators type there: keep them stable."""

from django.db import models


class Kind(models.TextChoices):
    # Seed: "Contact a consumer ... no later than within one to two business days".
    CONTACT_DUE = "contact_due", "Contact due today (to the organization)"
    OVERDUE_DIGEST = "overdue_digest", "Overdue contacts digest (to PAL Coordinators)"
    # Seed: "return each report by its due date".
    REPORT_DUE = "report_due", "Report due in two business days (to the organization)"
    REPORT_OVERDUE = "report_overdue", "Report overdue (to the organization)"
    REPORT_OVERDUE_ALERT = "report_overdue_alert", "Report overdue (to PAL Coordinators)"
    # Seed: "Leads sent to inaccurate or outdated contacts".
    DELIVERY_FAILED = "delivery_failed", "Lead delivery failed (to PAL Coordinators)"


# Who reads each kind: an organization's designated lead email, or every PAL Coordinator.
TO_ORGANIZATION = {Kind.CONTACT_DUE, Kind.REPORT_DUE, Kind.REPORT_OVERDUE}
TO_COORDINATORS = {Kind.OVERDUE_DIGEST, Kind.REPORT_OVERDUE_ALERT, Kind.DELIVERY_FAILED}


def enabled_kinds() -> list[str]:
    """Every kind not named in REMINDERS_OFF (reminders.checks refuses unknown names)."""
    from django.conf import settings

    off = set(settings.REMINDERS_OFF)
    return [kind for kind in Kind.values if kind not in off]
