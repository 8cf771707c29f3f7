from django.urls import path

from . import views

app_name = "signin"
urlpatterns = [
    path("lockouts/", views.lockout_list, name="lockouts"),
    path("lockouts/<int:pk>/clear/", views.lockout_clear_view, name="lockout_clear"),
    path("stay/", views.stay_signed_in, name="stay"),
]
