from functools import wraps

from django.core.exceptions import PermissionDenied

from .roles import has_role, is_admin


def role_required(*roles: str):
    """403 unless the signed-in user holds one of `roles` (Admin may do everything).

    Anonymous users never get here: LoginRequiredMiddleware sends them to the login page first.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (has_role(request.user, *roles) or is_admin(request.user)):
                raise PermissionDenied("Your role does not give you access to this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
