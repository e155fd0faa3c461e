from django.core import mail

from cooperados.models import BlockReason, Situation
from core.models import AuditEvent
from tests.cooperados.conftest import sign_in


def test_success_returns_a_short_lived_token_that_opens_eu(
    api_client, unimed, make_coop, password, settings
):
    coop = make_coop(unimed, login="12345SC", full_name="Ana")
    response = sign_in(api_client, "0137", " 12345/sc ", password)
    assert response.status_code == 200
    body = response.json()
    assert (
        body["tipo"] == "Bearer"
        and body["expira_em_segundos"] == settings.GPU_COOPERADO_TOKEN_TTL_SECONDS
    )
    me = api_client.get("/api/v1/cooperados/eu", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200 and me.json()["login"] == "12345SC"
    coop.refresh_from_db()
    assert coop.last_sign_in is not None
    assert (
        api_client.get("/api/v1/cooperados/eu", HTTP_AUTHORIZATION="Bearer forjado").status_code
        == 401
    )


def test_token_expires(api_client, unimed, make_coop, password, settings):
    import time_machine
    from django.utils import timezone

    make_coop(unimed, login="12345SC")
    token = sign_in(api_client, "0137", "12345SC", password).json()["token"]
    with time_machine.travel(
        timezone.now() + timezone.timedelta(seconds=settings.GPU_COOPERADO_TOKEN_TTL_SECONDS + 5)
    ):
        assert (
            api_client.get(
                "/api/v1/cooperados/eu", HTTP_AUTHORIZATION=f"Bearer {token}"
            ).status_code
            == 401
        )


def test_unknown_account_and_wrong_password_answer_alike(api_client, unimed, make_coop, password):
    make_coop(unimed, login="12345SC")
    unknown = sign_in(api_client, "0137", "99999SC", password)
    wrong = sign_in(api_client, "0137", "12345SC", "errada")
    other_unimed = sign_in(api_client, "0025", "12345SC", password)
    assert unknown.status_code == wrong.status_code == other_unimed.status_code == 401
    assert unknown.json() == wrong.json() == other_unimed.json()
    assert unknown.json()["codigo"] == "credenciais_invalidas" and unknown.json()["mensagem"]


def test_five_wrong_passwords_block_then_the_gestor_unblocks(
    api_client, gestor_client, unimed, make_coop, password
):
    coop = make_coop(unimed, login="12345SC")
    codes = [
        sign_in(api_client, "0137", "12345SC", f"errada{i}").json()["codigo"] for i in range(5)
    ]
    assert codes == ["credenciais_invalidas"] * 5
    coop.refresh_from_db()
    assert (coop.situation, coop.block_reason) == (Situation.BLOQUEADO, BlockReason.FAILED_SIGN_INS)
    assert (
        sign_in(api_client, "0137", "12345SC", password).json()["codigo"] == "credenciais_invalidas"
    )
    assert AuditEvent.objects.filter(
        action="cooperado.bloqueado", actor="system", target_id=str(coop.pk)
    ).exists()

    gestor_client.post(
        f"/painel/cooperados/{coop.pk}/situacao/",
        {"acao": "desbloquear", "note": "Cooperado identificado", "confirm": "on"},
    )
    coop.refresh_from_db()
    assert coop.failed_sign_ins == 0
    assert sign_in(api_client, "0137", "12345SC", password).status_code == 200


def test_a_success_resets_the_failure_count(api_client, unimed, make_coop, password):
    coop = make_coop(unimed, login="12345SC")
    for _ in range(4):
        sign_in(api_client, "0137", "12345SC", "errada")
    assert sign_in(api_client, "0137", "12345SC", password).status_code == 200
    coop.refresh_from_db()
    assert coop.failed_sign_ins == 0 and coop.situation == Situation.ATIVO


def test_rate_limited_per_ip_and_account(api_client, unimed, make_coop, settings):
    settings.GPU_COOPERADO_SIGNIN_PER_ACCOUNT = 3
    for _ in range(3):
        assert sign_in(api_client, "0137", "naoexiste", "x").status_code == 401
    limited = sign_in(api_client, "0137", "naoexiste", "x")
    assert limited.status_code == 429 and limited.json()["codigo"] == "limite_excedido"
    assert (
        sign_in(api_client, "0137", "naoexiste", "x", ip="10.9.9.9").status_code == 401
    )  # another IP


def test_bad_input_is_400_json(api_client, db):
    response = api_client.post(
        "/api/v1/cooperados/sessao", {"unimed": "137", "usuario": ""}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["campos"]) == {"unimed", "usuario", "senha"}
    response = api_client.post("/api/v1/cooperados/sessao", "{", content_type="application/json")
    assert response.status_code == 400 and response.json()["codigo"] == "json_invalido"


def test_forced_change_then_change_own_password(api_client, unimed, make_coop, password):
    coop = make_coop(unimed, login="12345SC", must_change_password=True)
    refused = sign_in(api_client, "0137", "12345SC", password)
    assert refused.status_code == 401 and refused.json()["codigo"] == "troca_de_senha_obrigatoria"
    assert (
        sign_in(api_client, "0137", "12345SC", "errada").json()["codigo"] == "credenciais_invalidas"
    )
    change = {"unimed": "0137", "usuario": "12345SC", "senha": password}
    same = api_client.post(
        "/api/v1/cooperados/senha", {**change, "nova_senha": password}, format="json"
    )
    assert same.status_code == 400 and "nova_senha" in same.json()["campos"]
    weak = api_client.post(
        "/api/v1/cooperados/senha", {**change, "nova_senha": "12345678"}, format="json"
    )
    assert weak.status_code == 400 and "nova_senha" in weak.json()["campos"]
    ok = api_client.post(
        "/api/v1/cooperados/senha", {**change, "nova_senha": "Trocada-pelo-app-2026"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["token"]
    coop.refresh_from_db()
    assert not coop.must_change_password
    assert sign_in(api_client, "0137", "12345SC", "Trocada-pelo-app-2026").status_code == 200


def test_block_ends_open_sessions(api_client, unimed, make_coop, password, gestor):
    from cooperados.services import cooperado_block
    from unimeds.actors import actor_for_user

    coop = make_coop(unimed, login="12345SC")
    token = sign_in(api_client, "0137", "12345SC", password).json()["token"]
    cooperado_block(actor=actor_for_user(gestor), cooperado_id=coop.pk, note="perdeu o celular")
    assert (
        api_client.get("/api/v1/cooperados/eu", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 401
    )


def test_forgot_password_answers_the_same_and_mails_only_existing(
    api_client, unimed, make_coop, django_capture_on_commit_callbacks
):
    make_coop(unimed, login="12345SC", email_unimed="ana@example.com")
    answers = []
    for usuario in ("12345SC", "naoexiste"):
        with django_capture_on_commit_callbacks(execute=True):
            r = api_client.post(
                "/api/v1/cooperados/senha/esqueci",
                {"unimed": "0137", "usuario": usuario},
                format="json",
            )
        answers.append((r.status_code, r.json()))
    assert answers[0] == answers[1] and answers[0][0] == 202
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]


def test_a_blocked_account_answers_exactly_like_a_wrong_password(
    api_client, unimed, make_coop, password, gestor
):
    """Before: `bloqueado` to any password told a stranger the account exists."""
    from cooperados.services import cooperado_block
    from unimeds.actors import actor_for_user

    coop = make_coop(unimed, login="12345SC")
    make_coop(unimed, login="54321SC")
    cooperado_block(actor=actor_for_user(gestor), cooperado_id=coop.pk, note="perdeu o celular")
    wrong_elsewhere = sign_in(api_client, "0137", "54321SC", "errada")
    for attempt in (password, "errada"):
        blocked = sign_in(api_client, "0137", "12345SC", attempt)
        assert (blocked.status_code, blocked.json()) == (
            wrong_elsewhere.status_code,
            wrong_elsewhere.json(),
        )


def test_the_owner_is_mailed_a_link_that_also_unblocks(
    api_client, client, unimed, make_coop, password, django_capture_on_commit_callbacks
):
    import re

    coop = make_coop(unimed, login="12345SC", email_unimed="ana@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            sign_in(api_client, "0137", "12345SC", f"errada{i}")
    coop.refresh_from_db()
    assert coop.is_blocked
    assert [m.to for m in mail.outbox] == [["ana@example.com"]] and "bloqueado" in mail.outbox[
        0
    ].subject
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post(
        "/" + path, {"password1": "Nova-senha-forte-2026", "password2": "Nova-senha-forte-2026"}
    )
    assert response.status_code == 200
    coop.refresh_from_db()
    assert not coop.is_blocked and coop.failed_sign_ins == 0
    assert sign_in(api_client, "0137", "12345SC", "Nova-senha-forte-2026").status_code == 200
    assert (
        client.post(
            "/" + path, {"password1": "Outra-senha-2026x", "password2": "Outra-senha-2026x"}
        ).status_code
        == 404
    )  # single use


def test_a_gestor_block_is_not_lifted_by_the_link(
    api_client, client, unimed, make_coop, gestor, django_capture_on_commit_callbacks
):
    from cooperados.services import cooperado_block
    from unimeds.actors import actor_for_user

    coop = make_coop(unimed, login="12345SC", email_unimed="ana@example.com")
    cooperado_block(actor=actor_for_user(gestor), cooperado_id=coop.pk, note="desligado")
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(
            "/api/v1/cooperados/senha/esqueci",
            {"unimed": "0137", "usuario": "12345SC"},
            format="json",
        )
    assert mail.outbox == []
    coop.refresh_from_db()
    assert coop.is_blocked and coop.block_reason == BlockReason.ADMIN
