from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_staff_signs_in_and_sees_their_unimed(
    live_server, page, sign_in, unimed, make_staff, screenshot
):
    make_staff(unimed, "atendente", username="atendente.0137")
    sign_in(page, "atendente.0137", PASSWORD)
    assert "Unimed 0137" in page.content()
    screenshot(page, "painel-inicio")


def test_wrong_password_shows_a_clear_message(live_server, page, unimed, make_staff):
    make_staff(unimed, "atendente", username="atendente.0137")
    page.goto(f"{live_server.url}/entrar/")
    page.get_by_label("Usuário").fill("atendente.0137")
    page.get_by_label("Senha").fill("errada")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_text("Usuário ou senha incorretos")).to_be_visible()
