from django.urls import path

from regulatorio import views

app_name = "regulatorio"

urlpatterns = [
    path("painel/regulatorio/", views.inbox, name="inbox"),
    path("painel/regulatorio/nova/", views.demand_new, name="new"),
    path("painel/regulatorio/indicadores/", views.dashboard, name="dashboard"),
    path("painel/regulatorio/importar-abi/", views.abi_import, name="import"),
    path("painel/regulatorio/<int:demand_id>/", views.detail, name="detail"),
    path("painel/regulatorio/<int:demand_id>/acao/", views.action, name="action"),
    path("painel/regulatorio/<int:demand_id>/subsidios/", views.subsidy, name="subsidy"),
    path("painel/regulatorio/<int:demand_id>/anexos/", views.attach, name="attach"),
    path("painel/regulatorio/<int:demand_id>/responsavel/", views.owner, name="owner"),
    path(
        "painel/regulatorio/anexos/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
