from django.contrib import admin

from tracker.admin import ReadOnlyAdmin

from .models import (
    AssisterOrganization,
    AssisterReport,
    County,
    DeliveryAttempt,
    LeadDelivery,
    OrganizationChange,
    OrganizationRequest,
    Referral,
    ReportingPeriod,
    UnmetRequest,
)
from .permissions import referrals_visible_to


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class OrganizationChangeInline(admin.TabularInline):
    model = OrganizationChange
    extra = 0
    can_delete = False
    readonly_fields = ["field", "old_value", "new_value", "note", "changed_by", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False  # written by the services, never by hand


@admin.register(AssisterOrganization)
class AssisterOrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "lead_email", "status"]
    list_filter = ["kind", "status", "counties"]
    search_fields = ["name", "lead_email"]
    filter_horizontal = ["counties", "languages", "members"]
    # Contact, status and pause changes go through the coordinator pages (and the portal) so
    # their history is recorded and the coordinators are told.
    readonly_fields = [
        "contact_name",
        "lead_email",
        "paused_from",
        "paused_until",
        "pause_reason",
        "status",
        "suspension_reason",
        "suspended_on",
        "suspended_until",
        "resumed_on",
    ]
    inlines = [OrganizationChangeInline]

    def has_add_permission(self, request):
        return False


@admin.register(OrganizationRequest)
class OrganizationRequestAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "received_on", "handled_at"]
    list_filter = ["kind"]


@admin.register(UnmetRequest)
class UnmetRequestAdmin(admin.ModelAdmin):
    list_display = ["county", "assister_type", "language", "recorded_at", "recorded_by"]
    list_filter = ["assister_type", "county"]


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "to_email", "started_at", "finished_at", "outcome", "error"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LeadDelivery)
class LeadDeliveryAdmin(admin.ModelAdmin):
    list_display = ["referral", "organization", "to_email", "status", "attempt_count", "sent_at"]
    list_filter = ["status"]
    inlines = [DeliveryAttemptInline]
    readonly_fields = [f.name for f in LeadDelivery._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Read-only: referrals change through the referral pages and their services."""

    list_display = ["number", "consumer_name", "county", "assister_type", "organization", "state"]
    list_filter = ["state", "assister_type", "organization"]
    list_select_related = ["county", "organization"]
    search_fields = ["consumer_name"]

    def get_queryset(self, request):
        return referrals_visible_to(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "send_on", "due_on"]


@admin.register(AssisterReport)
class AssisterReportAdmin(ReadOnlyAdmin):
    list_display = ["organization", "period", "status", "sent_at", "returned_at"]
    list_filter = ["status", "period"]
    list_select_related = ["organization", "period"]
