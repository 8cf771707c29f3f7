"""A URLconf for the error-page tests: the app's own URLs plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from tracker.urls import handler500  # noqa: F401 (handler500 is used)
from tracker.urls import urlpatterns as app_urls


def boom(request):
    raise RuntimeError("kaboom for the test")


def refuse(request):
    raise PermissionDenied("Only QC Leads may vet cases.")


def bad(request):
    raise SuspiciousOperation("bad input for the test")


urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/refuse/", refuse),
    path("test-errors/bad/", bad),
    *app_urls,
]
