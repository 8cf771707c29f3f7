from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, how_it_works, metrics, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/security/", include("tracker.mfa.urls")),
    path("cases/", include("cases.urls")),
    path("referrals/", include("referrals.urls")),
    path("portal/", include("referrals.portal_urls")),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("signin/", include("signin.urls")),
    path("search/", include("search.urls")),
    path("api/", include("api.urls")),
    path("api-tokens/", include("api.page_urls")),
    path("how-it-works/", how_it_works.how_it_works, name="how_it_works"),
    # Operations (README "Health and monitoring"): public probes, token-protected metrics.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
]

# 400, 403 and 404 use Django's handlers with our templates; 500 shows the request id.
handler500 = "tracker.errors.server_error"
