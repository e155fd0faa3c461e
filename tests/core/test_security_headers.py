"""Content-Security-Policy and Permissions-Policy on every page; pages carry no inline
script the policy would block; the API docs load nothing from the internet (issue #16)."""

import re
from pathlib import Path

import pytest

from tests.factories import staff_user

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:|\bhx-on", re.IGNORECASE)


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _check(response):
    csp = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["script-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
        assert not HANDLER.search(html), HANDLER.search(html).group(0)
        assert "https://" not in re.sub(r'href="https://[^"]*"', "", html).split("<body", 1)[0]


@pytest.mark.django_db
def test_pages_send_a_strict_csp_and_have_no_inline_script(client, unimed):
    for url in (
        "/entrar/",
        "/portal/",
        "/portal/fale-conosco/",
        "/portal/protocolo/",
        "/api/v1/docs/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _check(response)
    client.force_login(staff_user(unimed, "gestor", "supervisor", "atendente"))
    for url in (
        "/painel/",
        "/painel/protocolos/",
        "/painel/protocolos/novo/",
        "/painel/equipe/",
        "/painel/relatorios/",
        "/painel/cooperados/",
        "/painel/intercambio/",
        "/painel/leads/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _check(response)


def test_no_template_has_inline_script_or_handlers():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]:
        if ".venv" in path.parts:
            continue
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or HANDLER.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_api_docs_are_offline_and_redoc_is_gone(client):
    docs = client.get("/api/v1/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200 and "/static/drf_spectacular_sidecar/" in html
    assert "googleapis" not in html and "cdn" not in html.lower()
    assert "'unsafe-inline'" not in _directives(docs["Content-Security-Policy"])["script-src"]
    script = client.get("/api/v1/docs/?script=")  # Swagger UI's settings, served as a file
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert client.get("/api/v1/redoc/").status_code == 404


def test_check_deploy_flags_weakened_security_settings(settings):
    from django.core.checks import run_checks

    settings.GPU_2FA_REQUIRED_ROLES = ["gestor", "hub_admin"]
    settings.GPU_ENDPOINT_ALLOWED_HOSTS = []
    assert not [w for w in run_checks(include_deployment_checks=True) if w.id.startswith("gpu.")]
    settings.GPU_2FA_REQUIRED_ROLES = []
    settings.GPU_ENDPOINT_ALLOWED_HOSTS = ["127.0.0.1"]
    ids = {w.id for w in run_checks(include_deployment_checks=True)}
    assert {"gpu.W001", "gpu.W002"} <= ids
