"""Who may do what with referrals and assister organizations. One function per rule, used by the
transitions' `permission=`, by views (403) and by templates (to hide buttons)."""

from tracker.roles import ASSISTER, has_role, is_admin


def can_create_referral(user) -> bool:
    return user.has_perm("referrals.add_referral")


def can_submit(referral, user) -> bool:
    return can_create_referral(user) and (referral.created_by_id == user.pk or is_admin(user))


def can_see_all_referrals(user) -> bool:
    return user.has_perm("referrals.view_all_referrals")


def can_manage_leads(user) -> bool:
    """PAL Coordinator: resend, reassign, withdraw any lead."""
    return user.has_perm("referrals.manage_leads")


def can_resend(referral, user) -> bool:
    return can_manage_leads(user)


def can_reassign(referral, user) -> bool:
    return can_manage_leads(user)


def can_withdraw(referral, user) -> bool:
    return can_manage_leads(user) or (
        can_create_referral(user) and referral.created_by_id == user.pk
    )


def belongs_to_organization(organization_id, user) -> bool:
    return user.assister_organizations.filter(pk=organization_id).exists()


def can_report_outcome(referral, user) -> bool:
    """A coordinator, or an assister of the organization holding the lead (issue 6's portal)."""
    if not user.has_perm("referrals.report_outcome"):
        return False
    return can_manage_leads(user) or belongs_to_organization(referral.organization_id, user)


def can_respond(referral, user) -> bool:
    """Accept or decline a lead: the organization's own answer, so only an assister of the
    organization holding it. A coordinator who hears an organization cannot take a lead
    reassigns it instead."""
    return (
        can_use_portal(user)
        and referral.organization_id is not None
        and belongs_to_organization(referral.organization_id, user)
    )


def can_manage_organizations(user) -> bool:
    return user.has_perm("referrals.change_assisterorganization")


def can_view_organizations(user) -> bool:
    return user.has_perm("referrals.view_assisterorganization") and (
        can_manage_organizations(user) or can_see_all_referrals(user)
    )


def own_organizations(user):
    """The assister organizations this user works for (the portal's "your organizations")."""
    from .models import AssisterOrganization

    return AssisterOrganization.objects.filter(members=user)


def organizations_visible_to(user):
    """The organizations this user may look up: the whole directory for those who manage it or
    see every referral; an assister only their own. The directory, the portal and the search
    box all start here."""
    from .models import AssisterOrganization

    if can_view_organizations(user):
        return AssisterOrganization.objects.all()
    if can_use_portal(user):
        return own_organizations(user)
    return AssisterOrganization.objects.none()


def can_self_serve(organization_id, user) -> bool:
    """An assister acting for their own organization in the portal (issue 14): pause and resume
    new leads, ask for a contact change, write to MNsure."""
    return can_use_portal(user) and belongs_to_organization(organization_id, user)


def can_answer_threads(user) -> bool:
    """MNsure's single point of contact: the PAL Coordinators answer organizations' messages and
    approve their contact changes."""
    return can_manage_organizations(user)


def threads_visible_to(user):
    """Message threads: every one for the coordinators; an assister only their own
    organizations' threads. Lists and thread pages all start here."""
    from .models import Thread

    queryset = Thread.objects.select_related("organization", "referral")
    if can_answer_threads(user):
        return queryset
    if can_use_portal(user):
        return queryset.filter(organization__in=user.assister_organizations.values("pk"))
    return queryset.none()


def can_write_in_thread(thread, user) -> bool:
    return can_answer_threads(user) or can_self_serve(thread.organization_id, user)


def referrals_visible_to(user, queryset=None):
    """The referrals this user may see: lists and detail pages all start here."""
    from django.db.models import Q

    from .models import Referral
    from .states import State

    queryset = Referral.objects.all() if queryset is None else queryset
    queryset = queryset.exclude(state=State.NEW)
    if can_see_all_referrals(user):
        return queryset
    visible = Q(pk__in=[])
    if can_create_referral(user):
        visible |= Q(created_by=user)
    if user.has_perm("referrals.view_referral"):
        # The user's organizations as ids (one small query), not a join to their members: no
        # DISTINCT over the whole list, and a representative without an organization filters
        # on created_by alone, which its index serves in the list's order.
        organizations = list(user.assister_organizations.values_list("pk", flat=True))
        if organizations:
            visible |= Q(organization__in=organizations)
    return queryset.filter(visible)


def can_manage_calendar(user) -> bool:
    return user.has_perm("referrals.add_reportingperiod")


def can_manage_assister_reports(user) -> bool:
    """PAL Coordinator: send Preferred Assister Reports and bring them back in."""
    return user.has_perm("referrals.change_assisterreport")


def assister_reports_visible_to(user):
    """Coordinators see every report; an assister only their own organizations' reports."""
    from .models import AssisterReport

    queryset = AssisterReport.objects.select_related("organization", "period")
    if can_manage_assister_reports(user):
        return queryset
    if user.has_perm("referrals.view_assisterreport"):
        return queryset.filter(organization__members=user).distinct()
    return queryset.none()


def can_use_portal(user) -> bool:
    """The assister portal is for assister organizations' own staff."""
    return has_role(user, ASSISTER) and user.has_perm("referrals.report_outcome")


def portal_leads(user):
    """The leads an assister works in the portal: sent to one of their organizations and still
    theirs. Not yet sent (they have not received it), withdrawn, or moved to another
    organization: not shown. Every portal page starts here; anything else is a 404."""
    from .models import Referral
    from .states import REPORTABLE

    # The organizations' ids as values, not a subquery: with a subquery PostgreSQL sorted by
    # county by walking every county's referrals of every organization (38,000 rows for an
    # organization's 932; 83 ms at 200,000 referrals), with the ids it reads the organization's.
    organizations = list(user.assister_organizations.values_list("pk", flat=True))
    return Referral.objects.filter(organization__in=organizations, state__in=REPORTABLE)
