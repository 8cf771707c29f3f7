from django.urls import path

from . import (
    access_log_views,
    assister_views,
    export_job_views,
    mco_dashboard_views,
    performance_views,
    views,
)

app_name = "reports"
urlpatterns = [
    path("qc/", views.qc_report, name="qc_report"),
    path("qc/export/", views.qc_report_export, name="qc_report_export"),
    path("handoff/", views.handoff, name="handoff"),
    path("handoff/export/", views.handoff_export, name="handoff_export"),
    path("handoff/upload/", views.handoff_upload, name="handoff_upload"),
    path("exports/<int:pk>/", export_job_views.export_job, name="export_job"),
    path("exports/<int:pk>/status/", export_job_views.export_job_status, name="export_job_status"),
    path(
        "exports/<int:pk>/download/",
        export_job_views.export_job_download,
        name="export_job_download",
    ),
    path("uploads/", views.upload_list, name="uploads"),
    path("uploads/<int:pk>/", views.upload_detail, name="upload"),
    path("uploads/<int:pk>/confirm/", views.upload_confirm, name="upload_confirm"),
    path("uploads/<int:pk>/delete/", views.upload_remove, name="upload_delete"),
    path("access-log/", access_log_views.access_log, name="access_log"),
    path(
        "access-log/export.xlsx",
        access_log_views.access_log_export,
        {"fmt": "xlsx"},
        name="access_log_xlsx",
    ),
    path(
        "access-log/export.csv",
        access_log_views.access_log_export,
        {"fmt": "csv"},
        name="access_log_csv",
    ),
    path("performance/", performance_views.performance, name="performance"),
    path("performance/export/", performance_views.performance_export, name="performance_export"),
    path("mco/", mco_dashboard_views.mco_dashboard, name="mco_dashboard"),
    path("mco/export/", mco_dashboard_views.mco_dashboard_export, name="mco_dashboard_export"),
    path("coverage/", performance_views.coverage, name="coverage"),
    path("assister/calendar/", assister_views.calendar, name="assister_calendar"),
    path("assister/periods/<int:pk>/", assister_views.period_detail, name="assister_period"),
    path(
        "assister/periods/<int:pk>/send/", assister_views.period_send, name="assister_period_send"
    ),
    path("assister/", assister_views.report_list, name="assister_reports"),
    path("assister/<int:pk>/", assister_views.report_detail, name="assister_report"),
    path(
        "assister/<int:pk>/download/",
        assister_views.report_download,
        name="assister_report_download",
    ),
    path("assister/<int:pk>/send/", assister_views.report_send, name="assister_report_send"),
    path("assister/<int:pk>/upload/", assister_views.report_upload, name="assister_report_upload"),
    path("assister/uploads/<int:pk>/", assister_views.upload_detail, name="assister_upload"),
    path(
        "assister/uploads/<int:pk>/confirm/",
        assister_views.upload_confirm,
        name="assister_upload_confirm",
    ),
    path(
        "assister/uploads/<int:pk>/delete/",
        assister_views.upload_remove,
        name="assister_upload_delete",
    ),
]
