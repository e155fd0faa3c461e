"""Second factor (TOTP, django-otp; issue #16): mandatory for GPU_2FA_REQUIRED_ROLES
(production default: gestor and hub admin), optional for the others, recovery codes, and
the gestor's reset of a member's second factor."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def production_default(settings):
    settings.GPU_2FA_REQUIRED_ROLES = ["gestor", "hub_admin"]


@pytest.fixture
def gestor(unimed, make_staff):
    return make_staff(unimed, "gestor", username="gestor.0137")


def _sign_in(username, password=PASSWORD):
    client = Client()
    response = client.post("/entrar/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _code(device, drift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _enrol(client):
    page = client.get("/painel/2fa/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username=page.wsgi_request.user.username, confirmed=False)
    done = client.post("/painel/2fa/", {"token": _code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li>(\d{8})</li>", done.content.decode())
    return device, codes


def test_gestor_without_second_factor_is_sent_to_enrol_before_the_panel(gestor):
    client = _sign_in("gestor.0137")
    for url in ("/painel/", "/painel/equipe/", "/painel/cooperados/", "/painel/relatorios/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/painel/2fa/?next="
        ), url
    page = client.get("/painel/2fa/").content.decode()
    device = TOTPDevice.objects.get(user=gestor, confirmed=False)
    assert (
        "otpauth://totp/" in page and "<svg" in page
    )  # URI and a QR drawn here, nothing from the internet
    secret = re.search(r'id="segredo-2fa">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    from base64 import b32decode

    assert b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    done = client.post("/painel/2fa/", {"token": _code(device), "next": "/painel/equipe/"})
    codes = re.findall(r"<li>(\d{8})</li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    assert client.get("/painel/equipe/").status_code == 200
    assert AuditEvent.objects.filter(
        action="equipe.segundo_fator_ativado", target_id=str(gestor.pk)
    ).exists()


def test_a_wrong_totp_code_is_refused(gestor):
    client = _sign_in("gestor.0137")
    device, _codes = _enrol(client)
    client.post("/sair/")
    client = _sign_in("gestor.0137")
    assert client.get("/painel/")["Location"].startswith("/entrar/verificar/")
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    refused = client.post("/entrar/verificar/", {"token": wrong, "next": "/painel/"})
    assert refused.status_code == 400 and "Código inválido" in refused.content.decode()
    assert client.get("/painel/").status_code == 302  # still not in


def test_the_right_code_and_a_recovery_code_let_in_once(gestor):
    client = _sign_in("gestor.0137")
    device, codes = _enrol(client)
    client.post("/sair/")
    client = _sign_in("gestor.0137")
    device.refresh_from_db()
    ok = client.post("/entrar/verificar/", {"token": _code(device, drift=1), "next": "/painel/"})
    assert ok.status_code == 302 and ok["Location"] == "/painel/"
    assert client.get("/painel/").status_code == 200
    # A recovery code works once.
    first = _sign_in("gestor.0137")
    assert first.post("/entrar/verificar/", {"token": codes[0]}).status_code == 302
    assert first.get("/painel/").status_code == 200
    second = _sign_in("gestor.0137")
    assert second.post("/entrar/verificar/", {"token": codes[0]}).status_code == 400


def test_password_alone_cannot_replace_the_authenticator(gestor):
    client = _sign_in("gestor.0137")
    _enrol(client)
    client.post("/sair/")
    client = _sign_in("gestor.0137")
    response = client.get("/painel/2fa/?novo=1")
    assert response.status_code == 302 and response["Location"].startswith("/entrar/verificar/")
    assert TOTPDevice.objects.filter(user=gestor).count() == 1


def test_optional_for_other_roles(unimed, make_staff):
    make_staff(unimed, "atendente", username="atendente.0137")
    client = _sign_in("atendente.0137")
    assert client.get("/painel/").status_code == 200
    device, codes = _enrol(client)  # may enrol by choice
    assert device and len(codes) == 10
    client = _sign_in("atendente.0137")
    assert client.get("/painel/")["Location"].startswith(
        "/entrar/verificar/"
    )  # once enrolled, always asked


def test_hub_admin_needs_it_for_the_admin(db):
    UserFactory(username="hubadmin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(UserFactory(username="hubadmin"))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/painel/2fa/")


def test_gestor_resets_a_members_second_factor(unimed, make_staff, gestor):
    member = make_staff(unimed, "atendente", username="atendente.0137")
    _enrol(_sign_in("atendente.0137"))
    gestor_client = _sign_in("gestor.0137")
    _enrol(gestor_client)
    page = gestor_client.get(f"/painel/equipe/{member.pk}/").content.decode()
    assert "Redefinir segundo fator" in page
    assert gestor_client.post(f"/painel/equipe/{member.pk}/segundo-fator/").status_code == 302
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert AuditEvent.objects.filter(
        action="equipe.segundo_fator_redefinido", target_id=str(member.pk)
    ).exists()
    assert (
        _sign_in("atendente.0137").get("/painel/").status_code == 200
    )  # optional role: back in, may enrol again


def test_the_demo_setting_turns_it_off(gestor, settings):
    settings.GPU_2FA_REQUIRED_ROLES = []
    assert _sign_in("gestor.0137").get("/painel/").status_code == 200
