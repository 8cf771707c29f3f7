from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("qc/", views.qc_report, name="qc_report"),
    path("qc/export/", views.qc_report_export, name="qc_report_export"),
    path("handoff/", views.handoff, name="handoff"),
    path("handoff/export/", views.handoff_export, name="handoff_export"),
    path("handoff/upload/", views.handoff_upload, name="handoff_upload"),
    path("uploads/", views.upload_list, name="uploads"),
    path("uploads/<int:pk>/", views.upload_detail, name="upload"),
    path("uploads/<int:pk>/confirm/", views.upload_confirm, name="upload_confirm"),
]
