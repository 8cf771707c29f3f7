from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin

from tracker.admin import ReadOnlyAdmin

from .models import Lockout


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
