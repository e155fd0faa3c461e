from django.urls import path

from retencao import views

app_name = "retencao"

urlpatterns = [
    path("painel/retencao/", views.case_queue, name="queue"),
    path("painel/retencao/novo/", views.case_create, name="create"),
    path("painel/retencao/painel/", views.dashboard, name="dashboard"),
    path("painel/retencao/regras/", views.rules, name="rules"),
    path("painel/retencao/regras/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("painel/retencao/importar/", views.import_file, name="import"),
    path("painel/retencao/fora-da-regua/", views.out_of_rule, name="out_of_rule"),
    path("painel/retencao/exportar/", views.export, name="export"),
    path("painel/retencao/casos/<int:case_id>/", views.case_detail, name="detail"),
    path("painel/retencao/casos/<int:case_id>/contato/", views.case_contact, name="contact"),
    path("painel/retencao/casos/<int:case_id>/situacao/", views.case_stage, name="stage"),
    path("painel/retencao/casos/<int:case_id>/reatribuir/", views.case_reassign, name="reassign"),
]
