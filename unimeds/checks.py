"""`manage.py check --deploy`: security settings that must not reach production."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def security_settings(app_configs=None, **kwargs):
    found = []
    required = [r for r in settings.GPU_2FA_REQUIRED_ROLES if r]
    if not {"gestor", "hub_admin"} <= set(required):
        found.append(
            Warning(
                "O segundo fator não é obrigatório para gestor e admin do hub (GPU_2FA_REQUIRED_ROLES).",
                hint="Em produção use GPU_2FA_REQUIRED_ROLES=gestor,hub_admin (o padrão).",
                id="gpu.W001",
            )
        )
    if settings.GPU_ENDPOINT_ALLOWED_HOSTS:
        found.append(
            Warning(
                "GPU_ENDPOINT_ALLOWED_HOSTS libera endpoints internos ou http:// para integrações.",
                hint="Deixe vazio em produção; use só em testes e simuladores.",
                id="gpu.W002",
            )
        )
    script_src = settings.CONTENT_SECURITY_POLICY.get("DIRECTIVES", {}).get("script-src", [])
    if "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src:
        found.append(Warning("A CSP permite script inline ou eval.", id="gpu.W003"))
    return found
