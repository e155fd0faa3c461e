from django.urls import path

from reports import views as report_views

app_name = "reports"

urlpatterns = [
    path("painel/relatorios/", report_views.report_list, name="reports"),
    path("painel/relatorios/<int:job_id>/", report_views.report_job_row, name="report_job"),
    path(
        "painel/relatorios/<int:job_id>/baixar/",
        report_views.report_download,
        name="report_download",
    ),
    path(
        "painel/relatorios/<int:job_id>/tentar-novamente/",
        report_views.report_retry,
        name="report_retry",
    ),
]
