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
