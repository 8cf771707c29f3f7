"""Keep personal data out of browser and proxy caches."""

from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Every response to a signed-in user gets `Cache-Control: no-store`.

    Almost every page and download (XLSX) a signed-in user sees carries names, MA numbers or SSNs,
    and telling them apart view by view is how one gets missed; the few that carry none lose
    nothing but a cache hit. Static files never reach this middleware: WhiteNoise, earlier in
    MIDDLEWARE, answers them with its own long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
