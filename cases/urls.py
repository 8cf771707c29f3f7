from django.urls import path

from . import views, views_corrections, views_intake, views_lists

app_name = "cases"
urlpatterns = [
    path("new/", views_intake.case_new, name="new"),
    path("new/<str:kind>/", views_intake.case_intake, name="intake"),
    path("qc/", views_lists.qc_queue, name="qc_queue"),
    path("qc/vet/", views_lists.qc_bulk_vet, name="qc_bulk_vet"),
    path("monitor/", views_lists.monitor_list, name="monitor_list"),
    path("outreach/", views_lists.outreach_list, name="outreach"),
    path("mine/", views_lists.my_cases, name="mine"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/correct/", views_corrections.case_correct, name="correct"),
    path("<int:pk>/comment/", views.case_comment, name="comment"),
    path("<int:pk>/<str:action>/", views.case_transition, name="transition"),
]
