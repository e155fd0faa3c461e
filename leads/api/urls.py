from django.urls import path

from leads.api import views

urlpatterns = [
    path("leads/", views.LeadListView.as_view(), name="api-leads"),
    path("leads/<int:lead_id>/", views.LeadDetailView.as_view(), name="api-lead"),
    path("reservas-mercado/", views.ReservationCreateView.as_view(), name="api-reservations"),
    path(
        "reservas-mercado/<int:reservation_id>/renovar",
        views.ReservationRenewView.as_view(),
        name="api-reservation-renew",
    ),
    path(
        "reservas-mercado/<int:reservation_id>/liberar",
        views.ReservationReleaseView.as_view(),
        name="api-reservation-release",
    ),
    path("contratos-ativos/", views.ContractsLoadView.as_view(), name="api-contracts"),
]
