"""Access helpers shared by the referral and organization views."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .. import permissions
from ..permissions import referrals_visible_to


def require(check):
    """403 unless check(user) holds (anonymous users never get here: LoginRequiredMiddleware)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def can_list_referrals(user):
    return permissions.can_create_referral(user) or permissions.can_see_all_referrals(user)


def get_referral_for(user, pk):
    """The referral if this user may see it, else 404 (its existence is not revealed)."""
    queryset = referrals_visible_to(user).select_related("county", "organization", "created_by")
    return get_object_or_404(queryset, pk=pk)
