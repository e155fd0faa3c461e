from django.urls import path

from leads import views

app_name = "leads"

urlpatterns = [
    path("painel/leads/", views.lead_list, name="list"),
    path("painel/leads/novo/", views.lead_create, name="create"),
    path("painel/leads/exportar/", views.lead_export, name="export"),
    path("painel/leads/distribuicao/", views.lead_settings, name="settings"),
    path("painel/leads/painel/", views.lead_dashboard, name="dashboard"),
    path("painel/leads/<int:lead_id>/", views.lead_detail, name="detail"),
    path("painel/leads/<int:lead_id>/contato/", views.lead_contact, name="contact"),
    path("painel/leads/<int:lead_id>/etapa/", views.lead_stage, name="stage"),
    path("painel/leads/<int:lead_id>/reatribuir/", views.lead_reassign, name="reassign"),
    path("painel/leads/<int:lead_id>/reservar/", views.lead_reserve, name="reserve"),
    path(
        "painel/leads/<int:lead_id>/reservas/<int:reservation_id>/renovar/",
        views.reservation_renew,
        name="reservation_renew",
    ),
    path(
        "painel/leads/<int:lead_id>/reservas/<int:reservation_id>/liberar/",
        views.reservation_release,
        name="reservation_release",
    ),
]
