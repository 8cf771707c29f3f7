from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from tracker.mfa.gate import redirect_to_second_factor

from .permissions import can_see_full_identifiers, identifiers_need_second_factor


def full_identifiers_required(view):
    """For pages and exports that exist to show full SSNs (the State Monitor list, the hand-off
    sheet): a session without a verified second factor is sent to confirm one first."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if can_see_full_identifiers(request.user):
            return view(request, *args, **kwargs)
        if identifiers_need_second_factor(request.user):
            messages.info(
                request,
                "This page shows full SSNs: confirm a code from your authenticator app first.",
            )
            return redirect_to_second_factor(request)
        raise PermissionDenied("Your role does not give you access to full identifiers.")

    return wrapped
