from django.urls import path

from cooperados.views import operations, panel, public

app_name = "cooperados"

urlpatterns = [
    path("painel/cooperados/", panel.cooperado_list, name="list"),
    path("painel/cooperados/<int:cooperado_id>/", panel.cooperado_detail, name="detail"),
    path(
        "painel/cooperados/<int:cooperado_id>/situacao/",
        panel.cooperado_situation,
        name="situation",
    ),
    path("painel/cooperados/<int:cooperado_id>/senha/", panel.cooperado_password, name="password"),
    path(
        "painel/cooperados/<int:cooperado_id>/link-de-senha/",
        panel.cooperado_reset_link,
        name="reset_link",
    ),
    path("painel/cooperados/a400/", operations.a400_upload, name="a400"),
    path("painel/cooperados/a400/<int:job_id>/", operations.a400_job, name="a400_job"),
    path(
        "painel/cooperados/a400/<int:job_id>/resultado.csv",
        operations.a400_job_report,
        name="a400_job_report",
    ),
    path("painel/cooperados/troca-forcada/", operations.bulk_reset, name="bulk_reset"),
    path("painel/cooperados/acoes/<int:job_id>/", operations.bulk_job, name="bulk_job"),
    path("painel/cooperados/auditoria/", operations.audit_screen, name="audit"),
    path("painel/cooperados/exportar/", operations.export, name="export"),
    path("cooperado/senha/<uidb64>/<token>/", public.reset_confirm, name="reset_confirm"),
]
