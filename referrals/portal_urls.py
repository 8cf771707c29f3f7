from django.urls import path

from .views import portal

app_name = "portal"
urlpatterns = [
    path("", portal.portal_home, name="home"),
    path("leads/<int:pk>/", portal.portal_lead, name="lead"),
    path("leads/<int:pk>/<str:step>/", portal.portal_lead_step, name="lead_step"),
]
