from django.urls import path

from unimeds.api.views import EuView

urlpatterns = [
    path("eu/", EuView.as_view(), name="api-eu"),
]
