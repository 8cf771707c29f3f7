"""Who is calling the API. Every endpoint authenticates through `AUTH` (the NinjaAPI default), so
request.user is the caller (a person's session or an API client's user) and the same
permission and scoping functions as the pages decide what it may do.
"""

import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AuthRateThrottle

from tracker.mfa.policy import mfa_required, second_factor_verified
from tracker.roles import role_names

from .models import ApiToken, key_hash

# last_used_at is written at most this often per token: a busy client must not cost a write
# on every call, and "last used" to the minute is all the token page needs.
LAST_USED_EVERY = timedelta(minutes=1)
# A longer Authorization value is not one of our keys (token_urlsafe(32) is 43 characters).
MAX_KEY_LENGTH = 200


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`: the key's hash finds the token; revoked tokens and
    deactivated client users are refused. Bearer tokens are not sent by browsers on their own,
    so no CSRF check is needed (ninja's HttpBearer does none)."""

    def __call__(self, request):
        # ninja's HttpBearer logs the whole header under DEBUG when the scheme is not Bearer;
        # a key must never reach a log, so parse it here.
        scheme, _, key = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, key.strip())

    def authenticate(self, request, key):
        if not key or len(key) > MAX_KEY_LENGTH:
            return None
        digest = key_hash(key)
        token = (
            ApiToken.objects.select_related("client")
            .filter(key_hash=digest, revoked_at__isnull=True)
            .first()
        )
        # The lookup is by a hash of a 256-bit key, so its timing tells nothing about any key;
        # the comparison is constant-time all the same.
        if token is None or not hmac.compare_digest(token.key_hash, digest):
            return None
        client = token.client
        if not client.is_active or not role_names(client):
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # The key stands in for the second factor: only an Admin who confirmed one may create a
        # token of a role that needs one (api.permissions.roles_token_may_have), and the key
        # is something the client has. So can_see_full_identifiers(...) holds for a State
        # Monitor token, and each reveal is audited as on the pages.
        client.is_verified = lambda: True
        request.user = client
        return client


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


class ClientRateThrottle(AuthRateThrottle):
    """API_RATE_LIMIT calls per caller (a token's client user, or a signed-in person), counted
    in Django's cache. Keyed by the user's id: two clients with the same name are two."""

    scope = "api"

    def __init__(self):
        super().__init__(settings.API_RATE_LIMIT)

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


# The first that accepts the request wins: a token first, then the session.
AUTH = [TokenAuth(), SignedInSession()]
THROTTLE = [ClientRateThrottle()]


def authenticated(view):
    """For the docs page and openapi.json (ninja's docs_decorator): a signed-in session or a
    valid token, as every view needs (the brief); 401 JSON otherwise."""
    from functools import wraps

    from django.http import JsonResponse

    from . import errors

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        for method in AUTH:
            try:
                if method(request):
                    return view(request, *args, **kwargs)
            except Exception:  # an authenticator refusing (e.g. CSRF) is a refusal
                continue
        return JsonResponse(errors.unauthenticated_body(), status=401)

    return wrapper
