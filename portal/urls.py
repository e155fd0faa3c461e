from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/fale-conosco/", views.contact_choose, name="contact"),
    path("portal/fale-conosco/nao-cliente/", views.contact_non_client, name="contact_non_client"),
    path(
        "portal/fale-conosco/beneficiario/", views.contact_beneficiary, name="contact_beneficiary"
    ),
    path("portal/guia-medico/reportar-erro/", views.guia_medico, name="guia_medico"),
    path("portal/quero-um-plano/", views.plan, name="plan"),
    path("portal/protocolo/", views.lookup, name="lookup"),
    path("portal/confirmacao/<str:token>/", views.confirmation, name="confirmation"),
    path("portal/enviado/", views.received, name="received"),
    path("portal/municipios/", views.municipalities, name="municipalities"),
]
