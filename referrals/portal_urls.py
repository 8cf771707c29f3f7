from django.urls import path

from .views import portal, self_service

app_name = "portal"
urlpatterns = [
    path("", portal.portal_home, name="home"),
    path("leads/<int:pk>/", portal.portal_lead, name="lead"),
    path("leads/<int:pk>/<str:step>/", portal.portal_lead_step, name="lead_step"),
    path(
        "leads/<int:pk>/messages/new/", self_service.portal_lead_thread_new, name="lead_thread_new"
    ),
    path("organization/", self_service.portal_organizations, name="organizations"),
    path("organization/<int:pk>/", self_service.portal_organization, name="organization"),
    path("organization/<int:pk>/pause/", self_service.portal_pause, name="pause"),
    path("organization/<int:pk>/resume/", self_service.portal_resume, name="resume"),
    path("organization/<int:pk>/contact/", self_service.portal_contact, name="contact"),
    path("organization/<int:pk>/messages/new/", self_service.portal_thread_new, name="thread_new"),
    path("messages/<int:pk>/", self_service.portal_thread, name="thread"),
]
