from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin

from .models import Lockout


class ReadOnlyAdmin(admin.ModelAdmin):
    """Security logs are read, never edited or deleted in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Lockout)
class LockoutAdmin(ReadOnlyAdmin):
    list_display = ["locked_at", "kind", "username", "ip_address", "locked_until", "cleared_at"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address"]
    list_select_related = ["cleared_by"]


@admin.register(AccessLog)
class SignInLogAdmin(ReadOnlyAdmin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class FailedSignInLogAdmin(ReadOnlyAdmin, AccessFailureLogAdmin):
    pass
