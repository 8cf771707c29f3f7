"""/api/ URLs. API views authenticate themselves (session or token, api/auth.py) and answer 401 as
JSON, so the pages' login redirect must not run on them."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from .fhir import fhir
from .v1 import api


def _own_auth(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _own_auth(pattern.url_patterns)
        else:
            pattern.callback = login_not_required(pattern.callback)
    return patterns


v1_patterns, v1_app, v1_namespace = api.urls
fhir_patterns, fhir_app, fhir_namespace = fhir.urls
urlpatterns = [
    path("v1/", (_own_auth(v1_patterns), v1_app, v1_namespace)),
    path("fhir/", (_own_auth(fhir_patterns), fhir_app, fhir_namespace)),
]
