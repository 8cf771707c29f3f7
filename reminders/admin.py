from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read only: rows are written by `send_reminders` and the worker, and each row is what
    keeps its email from going twice."""

    list_display = ["kind", "subject", "on", "status", "to", "sent_at", "attempts"]
    list_filter = ["kind", "status", "on"]
    search_fields = ["subject", "to"]
    date_hierarchy = "on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
