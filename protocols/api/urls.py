from django.urls import path, re_path

from protocols.api.views import OPERATION_VIEWS, ProtocolDetailView, ProtocolListView

urlpatterns = [
    *[re_path(rf"^gpu/{name}/?$", view.as_view(), name=f"gpu-{name}") for name, view in OPERATION_VIEWS.items()],
    path("protocolos/", ProtocolListView.as_view(), name="api-protocol-list"),
    path("protocolos/<str:number>/", ProtocolDetailView.as_view(), name="api-protocol-detail"),
]
