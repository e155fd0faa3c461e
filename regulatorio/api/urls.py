from django.urls import path

from regulatorio.api import views

app_name = "regulatorio_api"

urlpatterns = [
    path("regulatorio/demandas", views.DemandListCreateView.as_view(), name="demands_create"),
    path("regulatorio/demandas/", views.DemandListCreateView.as_view(), name="demands"),
    path("regulatorio/demandas/<int:demand_id>", views.DemandDetailView.as_view(), name="demand"),
]
