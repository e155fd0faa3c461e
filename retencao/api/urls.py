from django.urls import path

from retencao.api import views

urlpatterns = [
    path("retencao/faturas-em-atraso/", views.BillsLoadView.as_view(), name="api-retencao-bills"),
    path(
        "retencao/indicadores-contratos/",
        views.IndicatorsLoadView.as_view(),
        name="api-retencao-indicators",
    ),
    path("retencao/casos/", views.CaseListView.as_view(), name="api-retencao-cases"),
    path("retencao/casos/<int:case_id>/", views.CaseDetailView.as_view(), name="api-retencao-case"),
]
