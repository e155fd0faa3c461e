import pytest
from axes.utils import reset

from tests.factories import PASSWORD


@pytest.fixture
def atendente(unimed, make_staff):
    return make_staff(unimed, "atendente", username="atendente.0137")


def _login(client, username, password):
    return client.post("/entrar/", {"username": username, "password": password})


def test_sign_in_and_out(client, atendente):
    response = _login(client, "atendente.0137", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/painel/"
    home = client.get("/painel/")
    assert home.status_code == 200 and "Unimed 0137" in home.content.decode()
    client.post("/sair/")
    assert client.get("/painel/").status_code == 302


def test_panel_requires_sign_in(client):
    response = client.get("/painel/")
    assert response.status_code == 302 and response["Location"].startswith("/entrar/?next=/painel/")


def test_wrong_password_message_in_portuguese(client, atendente):
    response = _login(client, "atendente.0137", "errada")
    assert response.status_code == 200
    assert "Usuário ou senha incorretos" in response.content.decode()


def test_six_wrong_passwords_lock_the_account_until_unlocked(client, atendente):
    for _ in range(6):
        response = _login(client, "atendente.0137", "errada")
    assert response.status_code == 403
    assert "Acesso bloqueado" in response.content.decode()
    # The right password is refused while locked, from any client.
    locked = _login(client, "atendente.0137", PASSWORD)
    assert locked.status_code == 403 and "Acesso bloqueado" in locked.content.decode()
    reset(username="atendente.0137")
    assert _login(client, "atendente.0137", PASSWORD).status_code == 302


def test_user_without_unimed_is_refused(client, db):
    from tests.factories import UserFactory

    UserFactory(username="solto")
    _login(client, "solto", PASSWORD)
    assert client.get("/painel/").status_code == 403


def test_healthz_embedded_mode(client, db, settings):
    settings.REDIS_URL = ""  # no broker: tasks run in-process, nothing else to check
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["banco"]["ok"]
    ready = client.get("/healthz/pronto").json()
    assert ready["status"] == "ok" and ready["cache"]["ok"]
    assert ready["workers"] == {"ok": True, "modo": "eager"}
