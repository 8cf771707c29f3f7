from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_new, name="new"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.referral_action, name="action"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_new, name="organization_new"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path(
        "organizations/<int:pk>/suspend/", views.organization_suspend, name="organization_suspend"
    ),
    path("organizations/<int:pk>/resume/", views.organization_resume, name="organization_resume"),
    path(
        "organizations/<int:pk>/resend-failed/",
        views.organization_resend_failed,
        name="organization_resend_failed",
    ),
    path("organizations/<int:pk>/requests/new/", views.request_new, name="request_new"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/handle/", views.request_handle, name="request_handle"),
    path("unmet/", views.unmet_list, name="unmet"),
    path("messages/", views.thread_list, name="threads"),
    path("messages/<int:pk>/", views.thread_detail, name="thread"),
    path("messages/<int:pk>/close/", views.thread_close, name="thread_close"),
    path(
        "contact-changes/<int:pk>/approve/",
        views.contact_change_decide,
        {"decision": "approve"},
        name="contact_change_approve",
    ),
    path(
        "contact-changes/<int:pk>/reject/",
        views.contact_change_decide,
        {"decision": "reject"},
        name="contact_change_reject",
    ),
]
