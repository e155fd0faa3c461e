from django.urls import path, re_path
from drf_spectacular.utils import extend_schema

from gpu_api.views import OPERATION_VIEWS, GiuTokenView, ProtocolDetailView, ProtocolListView


def _alias(view):
    """The same operation under its kebab-case path, left out of the schema (documented once)."""
    return type(f"{view.__name__}Alias", (view,), {"post": extend_schema(exclude=True)(view.post)})


# camelCase as TOTVS PLSGPURest names them; kebab-case as the Laravel client posts.
urlpatterns = [
    re_path(r"^gpu/token/?$", GiuTokenView.as_view(), name="gpu-token"),
    *[
        re_path(rf"^gpu/{name}/?$", view.as_view(), name=f"gpu-{name}")
        for name, view in OPERATION_VIEWS.items()
    ],
    *[
        re_path(
            rf"^gpu/{view.handler.op.alias}/?$",
            _alias(view).as_view(),
            name=f"gpu-alias-{view.handler.op.alias}",
        )
        for view in OPERATION_VIEWS.values()
    ],
    path("protocolos/", ProtocolListView.as_view(), name="api-protocol-list"),
    path("protocolos/<str:number>/", ProtocolDetailView.as_view(), name="api-protocol-detail"),
]
