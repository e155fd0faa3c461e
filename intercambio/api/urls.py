from django.urls import path

from intercambio.api.views import HabitualityView, RiskSharingView

urlpatterns = [
    path(
        "ptu/compartilhamento-risco",
        RiskSharingView.as_view(),
        name="api-ptu-compartilhamento-risco",
    ),
    path(
        "ptu/compartilhamento-risco/habitualidade",
        HabitualityView.as_view(),
        name="api-ptu-compartilhamento-risco-habitualidade",
    ),
]
