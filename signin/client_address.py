"""The client's address, as the lockout's address throttle sees it.

Behind TRUSTED_PROXY_COUNT proxies that each append the address they received the request from to
X-Forwarded-For, the client is the TRUSTED_PROXY_COUNT-th entry from the right: anything further
left was sent by the client and can be forged. With no proxy (the default) the peer address is used
and the header ignored. We do not use django-ipware's default resolution: it prefers a public
address anywhere in the header, which a client on a private network can forge (decision 0003).
"""

import ipaddress
import logging

from django.conf import settings

log = logging.getLogger(__name__)


def _valid(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    peer = _valid(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies == 0:
        return peer
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = header.split(",") if header else []
    if len(chain) < proxies:
        # Reached us without passing through every proxy: a misconfiguration or a direct hit.
        log.warning("X-Forwarded-For has fewer than TRUSTED_PROXY_COUNT=%d entries", proxies)
        return peer
    return _valid(chain[-proxies]) or peer
