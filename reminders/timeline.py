"""Reminders on the pages of what they were about: a lead's timeline, a report's page."""

from django.utils.formats import date_format

from .kinds import TO_ORGANIZATION, Kind
from .models import Reminder

TITLES = {
    Kind.CONTACT_DUE: "Contact due today: reminder to the organization",
    Kind.OVERDUE_DIGEST: "Listed in the PAL Coordinators' overdue-contact digest",
    Kind.DELIVERY_FAILED: "Delivery failure: alert to PAL Coordinators",
    Kind.REPORT_DUE: "Report due soon: reminder to the organization",
    Kind.REPORT_OVERDUE: "Report overdue: reminder to the organization",
    Kind.REPORT_OVERDUE_ALERT: "Report overdue: alert to PAL Coordinators",
}


def outcome(reminder: Reminder) -> str:
    if reminder.status == Reminder.Status.SENT:
        return f"Emailed to {reminder.to}."
    if reminder.status == Reminder.Status.FAILED:
        return f"Not sent after {reminder.attempts} tries: {reminder.error}"
    if reminder.attempts:
        return f"Not sent yet ({reminder.error}); tried again on the next run."
    return "Queued."


def referral_entries(referral) -> list[dict]:
    """Timeline entries (tracker/timeline.html) for the reminders about this lead."""
    return [
        {
            "at": reminder.sent_at or reminder.created_at,
            "title": TITLES[reminder.kind],
            "what": f"reminder for {date_format(reminder.on, 'm/d/Y')}",
            "by": None,
            "source": "",
            "detail": outcome(reminder),
            "kind": "reminder",
            "changes": [],
        }
        for reminder in Reminder.objects.filter(referral=referral)
    ]


def report_reminders(report, *, coordinators_too: bool) -> list[dict]:
    """The reminders about a report, oldest first; the coordinators' alerts only for those who
    manage reports (an assister sees what was sent to their organization)."""
    reminders = Reminder.objects.filter(report=report)
    if not coordinators_too:
        reminders = reminders.filter(kind__in=TO_ORGANIZATION)
    return [
        {
            "at": reminder.sent_at or reminder.created_at,
            "title": TITLES[reminder.kind],
            "detail": outcome(reminder),
        }
        for reminder in reminders
    ]
