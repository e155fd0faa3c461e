"""Staff access (issue #16): nobody locks an account for good, the gestor unlocks a member
(audited), a per-address limit stops password spraying, and staff reset their password by
e-mail (single use, no enumeration)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from core.models import AuditEvent
from tests.factories import PASSWORD


@pytest.fixture
def member(unimed, make_staff):
    return make_staff(
        unimed, "atendente", username="atendente.0137", email="atendente@unimed0137.example"
    )


@pytest.fixture
def gestor_client(unimed, make_staff):
    client = Client()
    client.force_login(make_staff(unimed, "gestor", username="gestor.0137"))
    return client


def _login(client, username, password, **extra):
    return client.post("/entrar/", {"username": username, "password": password}, **extra)


def _lock(username, ip="10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    for _ in range(5):
        _login(client, username, "errada")
    return client


def test_the_lockout_ends_by_itself_and_grows_with_each_lockout(client, member, settings):
    """Before: AXES_COOLOFF_TIME=None — five wrong passwords locked any account for good."""
    settings.GPU_LOGIN_COOLOFF_MINUTES = 15
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _lock("atendente.0137")
        assert _login(client, "atendente.0137", PASSWORD).status_code == 403
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert (
            _login(Client(), "atendente.0137", PASSWORD).status_code == 302
        )  # the first cool-off ended
        _lock("atendente.0137")
    with time_machine.travel(start + timedelta(minutes=16 + 20), tick=False):
        assert (
            _login(Client(), "atendente.0137", PASSWORD).status_code == 403
        )  # second lockout: 30 min
    with time_machine.travel(start + timedelta(minutes=16 + 31), tick=False):
        assert _login(Client(), "atendente.0137", PASSWORD).status_code == 302


def test_gestor_unlocks_a_locked_member_and_it_is_audited(member, gestor_client):
    _lock("atendente.0137")
    assert _login(Client(), "atendente.0137", PASSWORD).status_code == 403
    page = gestor_client.get("/painel/equipe/").content.decode()
    assert "bloqueado" in page and f"/painel/equipe/{member.pk}/desbloquear/" in page
    assert "Desbloquear" in gestor_client.get(f"/painel/equipe/{member.pk}/").content.decode()
    response = gestor_client.post(f"/painel/equipe/{member.pk}/desbloquear/")
    assert response.status_code == 302
    assert _login(Client(), "atendente.0137", PASSWORD).status_code == 302
    audit = AuditEvent.objects.get(action="equipe.desbloqueado")
    assert audit.target_id == str(member.pk) and audit.data["estava_bloqueado"] is True


def test_gestor_cannot_unlock_another_unimeds_member(other_unimed, make_staff, gestor_client):
    stranger = make_staff(other_unimed, "atendente", username="atendente.0025")
    assert gestor_client.post(f"/painel/equipe/{stranger.pk}/desbloquear/").status_code == 404
    assert not AuditEvent.objects.filter(action="equipe.desbloqueado").exists()


def test_one_address_cannot_spray_passwords_over_many_accounts(unimed, make_staff, settings):
    """Before: a lock per username only — unlimited guesses spread over usernames."""
    settings.GPU_LOGIN_FAILURES_PER_IP = 10
    make_staff(unimed, "atendente", username="alvo.0137")
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(10):
        assert _login(sprayer, f"usuario{i}", "Senha123!").status_code == 200
    refused = _login(sprayer, "alvo.0137", PASSWORD)
    assert refused.status_code == 429 and "Muitas tentativas" in refused.content.decode()
    assert _login(Client(REMOTE_ADDR="203.0.113.10"), "alvo.0137", PASSWORD).status_code == 302


def test_staff_reset_their_password_by_email(client, member):
    _lock("atendente.0137")
    page = client.get("/entrar/").content.decode()
    assert 'href="/entrar/esqueci/"' in page
    known = client.post("/entrar/esqueci/", {"email": "ATENDENTE@unimed0137.example"})
    unknown = client.post("/entrar/esqueci/", {"email": "ninguem@example.com"})
    assert (
        known.status_code == unknown.status_code == 302 and known["Location"] == unknown["Location"]
    )
    assert [m.to for m in mail.outbox] == [["atendente@unimed0137.example"]]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else path
    done = client.post(
        set_url,
        {"new_password1": "Outra-Senha-Forte-2026", "new_password2": "Outra-Senha-Forte-2026"},
    )
    assert done.status_code == 302 and done["Location"] == "/entrar/"
    # The reset also lifted the lockout; the new password works; the link is dead.
    assert _login(Client(), "atendente.0137", "Outra-Senha-Forte-2026").status_code == 302
    again = Client().get(path, follow=True)
    assert "inválido" in again.content.decode()
    assert AuditEvent.objects.filter(
        action="equipe.senha_redefinida_por_email", target_id=str(member.pk)
    ).exists()


def test_the_reset_link_expires(client, member, settings):
    client.post("/entrar/esqueci/", {"email": "atendente@unimed0137.example"})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    ):
        assert "inválido" in Client().get(path, follow=True).content.decode()


def test_the_admin_sign_in_has_the_same_per_address_limit(db, settings):
    settings.GPU_LOGIN_FAILURES_PER_IP = 3
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(3):
        assert (
            sprayer.post("/admin/login/", {"username": f"admin{i}", "password": "x"}).status_code
            == 200
        )
    assert sprayer.post("/admin/login/", {"username": "admin", "password": "x"}).status_code == 429
