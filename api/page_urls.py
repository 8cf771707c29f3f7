from django.urls import path

from . import pages

app_name = "api_tokens"
urlpatterns = [
    path("", pages.token_list, name="list"),
    path("new/", pages.token_create, name="new"),
    path("<int:pk>/revoke/", pages.token_revoke, name="revoke"),
]
