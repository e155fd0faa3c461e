import pytest
from oauth2_provider.models import AccessToken

from unimeds.services import service_account_create


def _token(client, client_id, secret):
    return client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )


def test_client_credentials_token_answers_the_bound_unimed(client, unimed, other_unimed):
    account, secret = service_account_create(unimed=unimed, name="CRM 0137")
    response = _token(client, account.client_id, secret)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    eu = client.get("/api/v1/eu/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert eu.status_code == 200
    assert eu.json() == {
        "cd_unimed": "0137",
        "nome": "Unimed Teste 0137",
        "nr_ans": "322831",
        "integrada": False,
    }


def test_without_or_with_bad_token_is_401_json(client, unimed):
    response = client.get("/api/v1/eu/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["codigo"] == "nao_autenticado"
    bad = client.get("/api/v1/eu/", HTTP_AUTHORIZATION="Bearer nao-existe")
    assert bad.status_code == 401


def test_wrong_secret_gets_no_token(client, unimed):
    account, _ = service_account_create(unimed=unimed)
    assert _token(client, account.client_id, "errado").status_code == 401


def test_expired_token_is_refused(client, unimed, settings):
    account, secret = service_account_create(unimed=unimed)
    access = _token(client, account.client_id, secret).json()["access_token"]
    AccessToken.objects.update(expires="2000-01-01T00:00:00Z")
    assert client.get("/api/v1/eu/", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 401


def test_inactive_account_is_refused(client, unimed):
    account, secret = service_account_create(unimed=unimed)
    access = _token(client, account.client_id, secret).json()["access_token"]
    account.is_active = False
    account.save()
    assert client.get("/api/v1/eu/", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 401


def test_a_deactivated_account_gets_no_token(client, unimed):
    """Issue #16: /o/token/ still issued tokens to a deactivated service account."""
    account, secret = service_account_create(unimed=unimed)
    account.is_active = False
    account.save()
    refused = _token(client, account.client_id, secret)
    assert refused.status_code == 401 and "access_token" not in refused.json()
    assert refused.json() == _token(client, account.client_id, "segredo-errado").json()
    account.is_active = True
    account.save()
    unimed.is_active = False
    unimed.save()
    assert _token(client, account.client_id, secret).status_code == 401


def test_each_account_is_bound_to_its_own_unimed(client, unimed, other_unimed):
    a, sa = service_account_create(unimed=unimed)
    b, sb = service_account_create(unimed=other_unimed)
    ta = _token(client, a.client_id, sa).json()["access_token"]
    tb = _token(client, b.client_id, sb).json()["access_token"]
    assert (
        client.get("/api/v1/eu/", HTTP_AUTHORIZATION=f"Bearer {ta}").json()["cd_unimed"] == "0137"
    )
    assert (
        client.get("/api/v1/eu/", HTTP_AUTHORIZATION=f"Bearer {tb}").json()["cd_unimed"] == "0025"
    )


@pytest.mark.parametrize("path", ["/api/v1/nao-existe/", "/o/nao-existe/"])
def test_unknown_api_path_is_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["codigo"] == "nao_encontrado"


def test_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html
