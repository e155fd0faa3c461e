from django.urls import path

from intercambio import views

app_name = "intercambio"

urlpatterns = [
    path("painel/intercambio/", views.sharing_list, name="list"),
    path("painel/intercambio/pendentes/", views.pending_list, name="pending"),
    path(
        "painel/intercambio/pendentes/<int:pending_id>/",
        views.pending_decide,
        name="pending_decide",
    ),
    path("painel/intercambio/<str:card>/", views.sharing_detail, name="detail"),
    path("painel/intercambio/<str:card>/encerrar/", views.sharing_end, name="end"),
]
