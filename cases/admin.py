from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed
from django_fsm.admin import FSMAdminMixin

from tracker.audit import record_identifier_access
from tracker.models import IdentifierAccess

from .actions import ACTIONS
from .models import Case, Mco, OutreachAttempt, Participant, ProviderTermination
from .permissions import can_see_full_identifiers, cases_visible_to
from .services import CaseConflict

# The page name an admin reveal is logged under, e.g. "admin: case MCO-000123".
ADMIN_CHANGE_PAGE = "admin: case {number}"


@admin.register(Mco)
class McoAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    search_fields = ["name"]


@admin.register(ProviderTermination)
class ProviderTerminationAdmin(admin.ModelAdmin):
    list_display = ["provider_name", "mco", "window_start", "window_end"]
    list_filter = ["mco"]
    search_fields = ["provider_name"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0

    def get_fields(self, request, obj=None):
        if can_see_full_identifiers(request.user):
            return ["name", "ma_number", "ssn"]
        return ["name", "ma_number", "ssn_masked"]

    def get_readonly_fields(self, request, obj=None):
        return [] if can_see_full_identifiers(request.user) else ["ssn_masked"]


class OutreachAttemptInline(admin.TabularInline):
    model = OutreachAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "made_on", "method", "reached", "note", "by", "recorded_at"]

    def has_add_permission(self, request, obj=None):
        return False  # attempts are recorded through the transition, never by hand


@admin.register(Case)
class CaseAdmin(FSMAdminMixin, admin.ModelAdmin):
    fsm_fields = ["state"]
    fsm_forms = {name: action.form for name, action in ACTIONS.items()}
    list_display = ["number", "subject", "state", "csr", "team", "created_at", "returned_count"]
    list_filter = ["state", "kind", "team"]
    list_select_related = ["csr", "team"]
    date_hierarchy = "created_at"
    inlines = [ParticipantInline, OutreachAttemptInline]
    readonly_fields = [
        "state",
        "taxonomy_display",
        "csr",
        "team",
        "created_at",
        "returned_count",
        "mmis_date",
        "mmis_reference",
        "withdrawn_from",  # set by the withdraw transition
    ]

    @admin.display(description="Taxonomy")
    def taxonomy_display(self, obj):
        taxonomy = obj.taxonomy
        if taxonomy is None:
            return "—"
        return " / ".join(f"{k.replace('_', ' ')}: {v}" for k, v in taxonomy._asdict().items())

    def get_queryset(self, request):
        return cases_visible_to(request.user, super().get_queryset(request))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Every rendering of a case's change page that shows full SSNs (ParticipantInline's
        `ssn` field, for those who may see full identifiers) is logged: a GET, and a POST that
        comes back with errors. The change list and the transition forms show no SSN."""
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is not None and can_see_full_identifiers(request.user):
            record_identifier_access(
                user=request.user,
                action=IdentifierAccess.VIEW,
                what=ADMIN_CHANGE_PAGE.format(number=obj.number),
                object_ids=[obj.pk],
            )
        return response

    def has_add_permission(self, request):
        return False  # cases are logged through the CSR intake, which runs the `log` transition

    def is_fsm_transition_visible(self, transition):
        return transition.name in ACTIONS

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None):
        """Run the transition through its service, so admin and browser share every check."""
        action = ACTIONS.get(transition_name)
        try:
            if action is None:
                raise TransitionNotAllowed(f"{transition_name} is not available here.")
            action.run(case=obj, by=request.user, **(kwargs or {}))
        except (PermissionDenied, TransitionNotAllowed, CaseConflict, ValueError) as error:
            self.message_user(request, str(error), messages.ERROR)
            return False
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return False
        self.message_user(request, f"{action.label}: done.", messages.SUCCESS)
        return True
