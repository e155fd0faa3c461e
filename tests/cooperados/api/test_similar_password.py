"""A new password that resembles the login is refused with 400 (it was a 500: Django's
similarity validator names the matched field through the user's model)."""

import pytest

from tests.cooperados.api.test_signin_api import sign_in


@pytest.mark.parametrize("new", ["12345SC!x", "12345sc2026"])
def test_api_refuses_a_password_like_the_login(api_client, unimed, make_coop, password, new):
    make_coop(unimed, login="12345SC", must_change_password=True)
    assert sign_in(api_client, "0137", "12345SC", password).status_code == 401
    response = api_client.post(
        "/api/v1/cooperados/senha",
        {"unimed": "0137", "usuario": "12345SC", "senha": password, "nova_senha": new},
        format="json",
    )
    assert response.status_code == 400
    assert "parecida" in response.json()["campos"]["nova_senha"][0]


@pytest.mark.parametrize("new", ["123456", "12345SC!x"])
def test_panel_refuses_a_password_like_the_login(gestor_client, unimed, make_coop, new):
    coop = make_coop(unimed, login="12345SC")
    response = gestor_client.post(
        f"/painel/cooperados/{coop.pk}/senha/",
        {"password1": new, "password2": new, "confirm": "on"},
    )
    assert response.status_code == 400  # the form again, with the reason
    assert "parecida" in response.content.decode()
