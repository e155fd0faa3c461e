from django.urls import path
from drf_spectacular.utils import extend_schema

from regulatorio.api import views

app_name = "regulatorio_api"


def _without_slash(view):
    """The same operations without the trailing slash (clients post to either), kept out
    of the OpenAPI document so each operation is documented once."""
    hidden = {name: extend_schema(exclude=True)(getattr(view, name)) for name in ("get", "post")}
    return type(f"{view.__name__}SemBarra", (view,), hidden)


urlpatterns = [
    path(
        "regulatorio/demandas",
        _without_slash(views.DemandListCreateView).as_view(),
        name="demands_create",
    ),
    path("regulatorio/demandas/", views.DemandListCreateView.as_view(), name="demands"),
    path("regulatorio/demandas/<int:demand_id>", views.DemandDetailView.as_view(), name="demand"),
]
