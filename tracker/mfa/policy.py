"""Who must use a second factor, and whether this session has confirmed one.

The one place these rules live: the middleware, the views, `cases.permissions` (full SSNs) and
the demo all ask here.
"""

from django.conf import settings

from ..roles import has_role, role_names


def required_roles_of(user) -> list[str]:
    """The user's roles that MFA_REQUIRED_ROLES names (Admin includes superusers)."""
    return sorted(role_names(user) & set(settings.MFA_REQUIRED_ROLES))


def mfa_required(user) -> bool:
    """Must sign in with a second factor: a role in MFA_REQUIRED_ROLES, or marked by an Admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.mfa_required) or has_role(user, *settings.MFA_REQUIRED_ROLES)


def second_factor_verified(user) -> bool:
    """This session confirmed a code from one of the user's devices (django-otp's middleware
    installs `is_verified` on request.user; a user object from elsewhere is never verified)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
