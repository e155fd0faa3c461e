"""The cooperado page and the audit screen tell what happened in words (core.labels):
no action code, field name, True/False or "system" reaches the reader."""

import re

from cooperados.models import LoginEmail
from cooperados.services import a400_import
from unimeds.actors import system_actor

RAW = (
    "emails_alterados",
    "login_email_source",
    "email_private",
    "must_change_password",
    "block_reason",
    "senha_definida",
    "True",
    "False",
    "system",
)


def visible_text(html: str) -> str:
    """What the reader sees: no tags, attributes, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_record_page_history_in_words(gestor_client, unimed, make_coop):
    coop = make_coop(
        unimed,
        provider_code="777",
        full_name="Ana Souza",
        login="12345SC",
        crm_number="12345",
        crm_uf="SC",
        email_unimed="ana@unimed.example.com.br",
    )
    url = f"/painel/cooperados/{coop.pk}/"
    emails = {
        "email_unimed": "ana@unimed.example.com.br",
        "email_private": "ana@particular.example.com",
        "login_email_source": LoginEmail.PRIVATE,
        "confirmed": "True",
    }
    assert gestor_client.post(url, emails).status_code == 302
    gestor_client.post(
        f"{url}situacao/", {"acao": "bloquear", "note": "Pedido do cooperado", "confirm": "on"}
    )
    new = "Nova-senha-segura-2026"
    gestor_client.post(
        f"{url}senha/",
        {"password1": new, "password2": new, "must_change": "on", "confirm": "on"},
    )
    # The system's own change: the next A400 brings a new name.
    a400_import(
        actor=system_actor(),
        content=b"401;0137;20260101;1\n402;A;777;Ana Souza Lima;12345SC;12345;SC;;PRESTADOR;\n",
    )

    page = gestor_client.get(url)
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    for words in (
        "E-mails alterados",
        "E-mail de login do aplicativo: E-mail do sistema Unimed → E-mail particular",
        "E-mail particular: (vazio) → ana@particular.example.com",
        "Cooperado bloqueado",
        "Motivo do bloqueio: (vazio) → Bloqueado pelo gestor",
        "Situação: Ativo → Bloqueado",
        "Senha definida pelo gestor",
        "Troca de senha obrigatória: Não → Sim",
        "Cooperado atualizado pelo A400",
        "Sistema",
    ):
        assert words in text, words
    assert_no_codes(text)


def assert_no_codes(text: str) -> None:
    for raw in RAW:
        assert raw not in text, raw
    assert not re.search(r"\bcooperados?\.[a-z]", text)  # an action code


def test_audit_screen_filters_by_action_name(gestor_client, unimed, make_coop):
    coop = make_coop(unimed, full_name="Ana Souza")
    gestor_client.post(
        f"/painel/cooperados/{coop.pk}/situacao/",
        {"acao": "bloquear", "note": "Pedido", "confirm": "on"},
    )
    gestor_client.get("/painel/cooperados/", {"situation": "bloqueado"})
    page = gestor_client.get("/painel/cooperados/auditoria/").content.decode()
    # The filter offers names; its values are the codes the query needs.
    assert '<option value="cooperado.bloqueado">Cooperado bloqueado</option>' in page
    text = visible_text(page)
    assert "Busca de cooperados" in text and "Filtros: Situação: Bloqueado" in text
    assert_no_codes(text)
    row = '<td data-label="Ação">Busca de cooperados</td>'
    assert row in page
    only = gestor_client.get("/painel/cooperados/auditoria/", {"acao": "cooperado.bloqueado"})
    assert row not in only.content.decode()
