"""Who may create and revoke API tokens. One function per rule, used by the token pages (403,
hidden buttons) and by api/services.py."""

from django.conf import settings

from tracker.mfa.policy import second_factor_verified
from tracker.roles import ADMIN, ALL_ROLES, ASSISTER, PAL_COORDINATOR, has_role, is_admin


def can_manage_tokens(user) -> bool:
    """Sees the token pages: Admins (any token) and PAL Coordinators (Assister tokens)."""
    return has_role(user, ADMIN, PAL_COORDINATOR)


def roles_token_may_have(user) -> list[str]:
    """The roles this user may create a token for. A token of a role that needs a second
    factor (MFA_REQUIRED_ROLES: State Monitor, Admin) acts without one, so only an Admin whose
    own session confirmed one hands it out."""
    if is_admin(user):
        roles = list(ALL_ROLES)
        if not second_factor_verified(user):
            roles = [role for role in roles if role not in settings.MFA_REQUIRED_ROLES]
        return roles
    if has_role(user, PAL_COORDINATOR):
        return [ASSISTER]
    return []


def can_create_token(user, role: str) -> bool:
    return role in roles_token_may_have(user)


def can_revoke_token(token, user) -> bool:
    """Admins revoke any token; coordinators the Assister tokens (any organization)."""
    if token.revoked:
        return False
    return is_admin(user) or (has_role(user, PAL_COORDINATOR) and token.role == ASSISTER)


def tokens_visible_to(user, queryset=None):
    """The tokens this user may list: all for Admins, Assister tokens for coordinators."""
    from .models import ApiToken

    queryset = ApiToken.objects.all() if queryset is None else queryset
    if is_admin(user):
        return queryset
    if has_role(user, PAL_COORDINATOR):
        return queryset.filter(role=ASSISTER)
    return queryset.none()
