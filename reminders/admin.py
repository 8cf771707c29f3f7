from django.contrib import admin

from tracker.admin import ReadOnlyAdmin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """Read only: rows are written by `send_reminders` and the worker, and each row is what
    keeps its email from going twice."""

    list_display = ["kind", "subject", "on", "status", "to", "sent_at", "attempts"]
    list_filter = ["kind", "status", "on"]
    search_fields = ["subject", "to"]
    date_hierarchy = "on"
