from django.contrib import admin

from tracker.admin import ReadOnlyAdmin

from .models import AppliedRow, Upload


class AppliedRowInline(admin.TabularInline):
    model = AppliedRow
    extra = 0
    can_delete = False
    readonly_fields = ["row", "case", "action", "mmis_date", "mmis_reference", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdmin):
    """Read-only: uploads are a record of what happened, changed only by the import itself."""

    list_display = [
        "uploaded_at",
        "report_id",
        "original_name",
        "uploaded_by",
        "status",
        "error_count",
        "deleted_at",
    ]
    list_filter = ["report_id", "status"]
    inlines = [AppliedRowInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match and match.url_name and match.url_name.endswith("changelist"):
            # The list never shows the stored problems or preview: do not load them.
            queryset = queryset.defer(*Upload.HEAVY_FIELDS)
        return queryset
