from django.utils.deprecation import MiddlewareMixin

from .gate import redirect_to_second_factor
from .policy import mfa_required, second_factor_verified

# What a signed-in user who still owes a second factor may reach.
OPEN_VIEWS = {"mfa:verify", "mfa:enrol", "logout"}


class SecondFactorMiddleware(MiddlewareMixin):
    """Holds a session without a verified second factor on the verify/enrol pages when the user
    must use MFA (policy.mfa_required), and keeps every unverified staff session out of the
    Django admin, which shows full SSNs and manages users.

    It runs after the password, whatever view checked it (our login page or the admin's), so
    the login view itself stays django's own.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or second_factor_verified(user):
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS:
            return None
        if "api-v1" in match.namespaces:
            # The API refuses such a session itself with a JSON 401 (api.auth.SignedInSession):
            # a script must not be redirected to an HTML page.
            return None
        in_admin = match.app_name == "admin" and user.is_staff
        if in_admin or mfa_required(user):
            return redirect_to_second_factor(request)
        return None
