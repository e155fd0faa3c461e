"""The AGI procedure (seed 001), step by step through the panel, with the app's
sign-in API checked after each change."""

from django.core import mail

from cooperados.models import LoginEmail
from core.models import AuditEvent
from tests.cooperados.conftest import sign_in


def test_find_change_email_block_unblock_change_password(
    gestor_client, api_client, unimed, make_coop, password
):
    coop = make_coop(
        unimed,
        full_name="José da Conceição",
        login="12345SC",
        crm_number="12345",
        crm_uf="SC",
        email_unimed="jose@unimed.example.com.br",
        cpf="52998224725",
    )
    make_coop(unimed, full_name="Outro Médico", login="99999SP")

    # 1. Localizar: by CRM (login), situation "todos", profile PRESTADOR
    response = gestor_client.get(
        "/painel/cooperados/", {"login": "12345/sc", "situation": "", "profile": "PRESTADOR"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "José da Conceição" in body and "Outro Médico" not in body
    assert "529.982.247-25" in body  # the gestor may see the CPF
    assert sign_in(api_client, "0137", "jose@unimed.example.com.br", password).status_code == 200

    # 2. Dados gerais: the private e-mail becomes the app login e-mail (review, then confirm)
    form = {
        "email_unimed": "jose@unimed.example.com.br",
        "email_private": "Jose@Hotmail.example.com",
        "login_email_source": LoginEmail.PRIVATE,
    }
    review = gestor_client.post(f"/painel/cooperados/{coop.pk}/", form)
    assert "Confirme as alterações" in review.content.decode()
    coop.refresh_from_db()
    assert coop.login_email == "jose@unimed.example.com.br"  # nothing changed before confirming
    response = gestor_client.post(f"/painel/cooperados/{coop.pk}/", {**form, "confirmed": "True"})
    assert response.status_code == 302
    coop.refresh_from_db()
    assert coop.login_email == "jose@hotmail.example.com"
    assert sign_in(api_client, "0137", "jose@hotmail.example.com", password).status_code == 200
    assert sign_in(api_client, "0137", "jose@unimed.example.com.br", password).status_code == 401

    # 3. Dados de acesso: block (reason + confirmation) → the app refuses like a wrong password (issue #16)
    response = gestor_client.post(
        f"/painel/cooperados/{coop.pk}/situacao/",
        {"acao": "bloquear", "note": "Pedido do cooperado"},
    )
    assert response.status_code == 400  # confirmation missing
    gestor_client.post(
        f"/painel/cooperados/{coop.pk}/situacao/",
        {"acao": "bloquear", "note": "Pedido do cooperado", "confirm": "on"},
    )
    refused = sign_in(api_client, "0137", "12345SC", password)
    assert refused.status_code == 401 and refused.json()["codigo"] == "credenciais_invalidas"

    # 4. unblock
    gestor_client.post(
        f"/painel/cooperados/{coop.pk}/situacao/",
        {"acao": "desbloquear", "note": "Confirmado por telefone", "confirm": "on"},
    )
    assert sign_in(api_client, "0137", "12345SC", password).status_code == 200

    # 5. new password (validators apply; confirmation required)
    weak = gestor_client.post(
        f"/painel/cooperados/{coop.pk}/senha/",
        {"password1": "123", "password2": "123", "confirm": "on"},
    )
    assert weak.status_code == 400 and "curta" in weak.content.decode()
    new = "Nova-senha-segura-2026"
    gestor_client.post(
        f"/painel/cooperados/{coop.pk}/senha/",
        {"password1": new, "password2": new, "confirm": "on"},
    )
    assert (
        sign_in(api_client, "0137", "12345SC", password).json()["codigo"] == "credenciais_invalidas"
    )
    assert sign_in(api_client, "0137", "12345SC", new).status_code == 200

    # every change is in the audit, without any password
    actions = list(
        AuditEvent.objects.filter(target_type="cooperado", target_id=str(coop.pk)).values_list(
            "action", flat=True
        )
    )
    for action in (
        "cooperado.emails_alterados",
        "cooperado.bloqueado",
        "cooperado.desbloqueado",
        "cooperado.senha_definida",
    ):
        assert action in actions
    audit_text = str(list(AuditEvent.objects.values_list("data", flat=True)))
    assert new not in audit_text and password not in audit_text and "argon2" not in audit_text
    email_event = AuditEvent.objects.get(action="cooperado.emails_alterados")
    assert email_event.data["alteracoes"]["email_private"] == ["", "jose@hotmail.example.com"]
    assert email_event.actor == "gestor.0137"
    page = gestor_client.get(f"/painel/cooperados/{coop.pk}/").content.decode()
    assert "Cooperado bloqueado" in page and "Pedido do cooperado" in page  # core.labels


def test_reset_link_lets_the_cooperado_choose_a_password_once(
    gestor_client, client, api_client, unimed, make_coop, django_capture_on_commit_callbacks
):
    coop = make_coop(unimed, login="12345SC", email_unimed="jose@unimed.example.com.br")
    with django_capture_on_commit_callbacks(execute=True):
        gestor_client.post(f"/painel/cooperados/{coop.pk}/link-de-senha/", {"confirm": "on"})
    (message,) = mail.outbox
    assert message.to == ["jose@unimed.example.com.br"]
    link = next(word for word in message.body.split() if "/cooperado/senha/" in word)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    assert client.get("/" + path).status_code == 200
    new = "Escolhida-pelo-medico-2026"
    assert client.post("/" + path, {"password1": new, "password2": new}).status_code == 200
    assert sign_in(api_client, "0137", "12345SC", new).status_code == 200
    assert client.get("/" + path).status_code == 404  # single use


def test_hand_posted_login_is_ignored_and_a400_keeps_its_value(gestor_client, unimed, make_coop):
    from cooperados.services import a400_import
    from unimeds.actors import system_actor

    coop = make_coop(
        unimed,
        provider_code="777",
        login="12345SC",
        full_name="Ana",
        crm_number="12345",
        crm_uf="SC",
        email_unimed="ana@example.com",
    )
    form = {
        "login": "HACK1",
        "email_unimed": "ana@example.com",
        "email_private": "ana.p@example.com",
        "login_email_source": LoginEmail.UNIMED,
        "confirmed": "True",
    }
    response = gestor_client.post(f"/painel/cooperados/{coop.pk}/", form, follow=True)
    assert "o valor enviado foi ignorado" in response.content.decode()
    coop.refresh_from_db()
    assert coop.login == "12345SC" and coop.email_private == "ana.p@example.com"
    # even a login changed behind the panel's back comes back with the next A400
    type(coop).objects.filter(pk=coop.pk).update(login="OUTRO")
    a400_import(
        actor=system_actor(),
        content=b"401;0137;20260101;1\n402;A;777;Ana;12345SC;12345;SC;;PRESTADOR;\n",
    )
    coop.refresh_from_db()
    assert coop.login == "12345SC"
