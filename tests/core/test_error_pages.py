import pytest


def test_expired_form_gets_a_friendly_page_and_nothing_is_saved(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/entrar/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "O formulário expirou" in html and "<html" in html


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/painel/nao-existe/")
    assert response.status_code == 404
    assert "Página não encontrada" in response.content.decode()


@pytest.mark.django_db
def test_the_root_sends_people_somewhere_and_there_is_a_favicon(client, make_staff, unimed):
    """Issue #18: `/` was a 404 (a debug page in development)."""
    assert client.get("/")["Location"] == "/portal/"
    client.force_login(make_staff(unimed, "atendente"))
    assert client.get("/")["Location"] == "/painel/"
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon["Location"].endswith("favicon.svg")
