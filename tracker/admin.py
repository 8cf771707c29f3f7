from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import IdentifierAccess, Team, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records shown for reference and never added, edited or deleted in the admin: logs, and
    rows only the app's own services write (their rules live there)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Team", {"fields": ["team"]}),
        ("Two-factor sign-in", {"fields": ["mfa_required"]}),
    )
    list_display = ["username", "first_name", "last_name", "email", "team", "is_active"]
    list_filter = ["groups", "team", "is_active"]
    list_select_related = ["team"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "supervisor"]
    list_select_related = ["supervisor"]


@admin.register(IdentifierAccess)
class IdentifierAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "what", "object_ids"]
    list_filter = ["action"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # an audit trail is not edited

    def has_delete_permission(self, request, obj=None):
        return False  # nor pruned, by anyone: superusers included (MARS-E AU-9)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
