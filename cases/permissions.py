"""Who may do what to a case. One function per rule, used by the transitions' `permission=`,
by views (403) and by templates (to hide buttons)."""

from tracker.mfa.policy import second_factor_verified
from tracker.roles import is_admin

from .states import BEFORE_VETTING, WITHDRAWABLE, State


def can_log(case, user) -> bool:
    return user.has_perm("cases.add_case") and (case.csr_id == user.pk or is_admin(user))


def can_vet(case, user) -> bool:
    return user.has_perm("cases.vet_case")


def can_process(case, user) -> bool:
    return user.has_perm("cases.process_case")


def supervises_case(case, user) -> bool:
    """The supervisor of the team the case was logged under (DESIGN.md: own team only)."""
    team = case.team
    return team is not None and team.supervisor_id == user.pk


def can_record_outreach(case, user) -> bool:
    return user.has_perm("cases.record_outreach") and (
        supervises_case(case, user) or is_admin(user)
    )


def logged_it(case, user) -> bool:
    """The CSR who logged the case (still holding the CSR role)."""
    return user.has_perm("cases.add_case") and case.csr_id == user.pk


def _csr_side(case, user) -> bool:
    """The CSR who logged it, or the supervisor of the team it was logged under."""
    return logged_it(case, user) or (
        user.has_perm("cases.record_outreach") and supervises_case(case, user)
    )


def _csr_side_until_vetted(case, user) -> bool:
    """Admin; before QC vets the case, its CSR or their supervisor; after, QC."""
    if is_admin(user):
        return True
    if case.state in BEFORE_VETTING:
        return _csr_side(case, user)
    return user.has_perm("cases.vet_case")


def can_correct(case, user) -> bool:
    """May edit the consumer's contact and the participants (names, MA numbers, SSNs).

    Until QC vets the case, the CSR who logged it or their supervisor: it is their typing. Once
    vetted, only QC, whose verdict (and the State Monitor's MMIS work) rests on those values.
    A withdrawn case is not corrected: it was logged in error.
    """
    if case.state in (State.NEW, State.WITHDRAWN):
        return False
    return _csr_side_until_vetted(case, user)


def can_withdraw(case, user) -> bool:
    """May withdraw a case logged in error (DESIGN.md "New states"): its CSR or their supervisor
    before QC vets it, QC after, until the work is done (states.WITHDRAWABLE)."""
    if case.state not in WITHDRAWABLE:
        return False
    return _csr_side_until_vetted(case, user)


def can_comment(case, user) -> bool:
    """Anyone who may see the case may comment on it (one query)."""
    return cases_visible_to(user).filter(pk=case.pk).exists()


def can_see_full_identifiers(user) -> bool:
    """Unmasked SSNs, wherever they show (pages, exports, the Django admin): the permission,
    and only in a session verified with a second factor (IA-2)."""
    return user.has_perm("cases.view_full_identifiers") and second_factor_verified(user)


def identifiers_need_second_factor(user) -> bool:
    """May see full SSNs, but this session has not confirmed a second factor yet."""
    return user.has_perm("cases.view_full_identifiers") and not second_factor_verified(user)


def cases_visible_to(user, queryset=None):
    """The cases this user may see: lists, exports and detail pages all start here."""
    from django.db.models import Q

    from tracker.roles import CSR, QC_LEAD, STATE_MONITOR, SUPERVISOR, has_role

    from .models import Case

    queryset = Case.objects.all() if queryset is None else queryset
    queryset = queryset.exclude(state=State.NEW)
    if is_admin(user) or has_role(user, QC_LEAD):
        return queryset
    visible = Q(pk__in=[])
    if has_role(user, STATE_MONITOR):
        visible |= Q(state__in=MONITOR_STATES)
    if has_role(user, SUPERVISOR):
        visible |= Q(team__supervisor=user)
    if has_role(user, CSR):
        visible |= Q(csr=user)
    return queryset.filter(visible)


# State Monitors see the true tracker cases, including those they have already handled.
MONITOR_STATES = ["true_tracker", "processed", "returned_by_monitor"]
