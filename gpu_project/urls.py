from importlib.util import find_spec

from csp.decorators import csp_update
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider.views import RevokeTokenView, TokenView

from core.metrics import metrics_view
from core.views import healthz, healthz_ready

APPS = (
    "core",
    "unimeds",
    "protocols",
    "leads",
    "retencao",
    "cooperados",
    "intercambio",
    "regulatorio",
    "portal",
    "gpu_api",
    "reports",
)


def _app_includes(suffix: str, prefix: str) -> list:
    """Each app contributes `<app>.urls` (panel/portal) and `<app>.api.urls` (API)."""
    return [
        path(prefix, include(f"{app}.{suffix}"))
        for app in APPS
        if find_spec(app) and _has_module(f"{app}.{suffix}")
    ]


def _has_module(name: str) -> bool:
    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


admin.site.site_header = "GPU — administração do hub"
admin.site.site_title = "GPU"


def home(request):
    """`/`: staff to the panel (its sign-in when needed), everyone else to the portal."""
    return redirect("/painel/" if request.user.is_authenticated else "/portal/")


def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)


urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    path("healthz/pronto", healthz_ready, name="healthz_ready"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("o/token/", TokenView.as_view(), name="oauth-token"),
    path("o/revoke_token/", RevokeTokenView.as_view(), name="oauth-revoke"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from the sidecar's files, its settings script served apart (no inline
    # script under the CSP). ReDoc was removed: its page loaded fonts from the internet.
    # Swagger UI's page has a small <style> element: styles (never scripts) inline there only.
    path(
        "api/v1/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    *_app_includes("api.urls", "api/v1/"),
    *_app_includes("urls", ""),
]

handler404 = "gpu_project.errors.not_found"
handler500 = "gpu_project.errors.server_error"
handler403 = "gpu_project.errors.forbidden"
handler400 = "gpu_project.errors.bad_request"
