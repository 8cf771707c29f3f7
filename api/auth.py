"""Who is calling the API. Every endpoint authenticates through `AUTH` (the NinjaAPI default), so
request.user is the caller (a person's session or, later, an API client's user) and the same
permission and scoping functions as the pages decide what it may do.
"""

from ninja.security import SessionAuth

from tracker.mfa.policy import mfa_required, second_factor_verified
from tracker.roles import role_names


class SignedInSession(SessionAuth):
    """The browser session: a signed-in user with a role, and a confirmed second factor when
    their role needs one (the pages' SecondFactorMiddleware redirects; an API answers 401).
    CSRF is checked on unsafe methods, as on the pages."""

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated or not role_names(user):
            return None
        if mfa_required(user) and not second_factor_verified(user):
            return None
        return user


# Token authentication joins this list (issue 15); the first that accepts the request wins.
AUTH = [SignedInSession()]
