import pytest

from leads.models import ActiveContract, MarketReservation
from leads.services import lead_intake
from tests.leads.conftest import CNPJ_ALNUM, FLORIANOPOLIS, make_cnpj
from unimeds.models import Role


@pytest.fixture
def seller(areas, make_staff, unimed):
    return make_staff(unimed, Role.VENDEDOR, username="vendedor.0137")


@pytest.mark.django_db
class TestLeadsApi:
    def test_requires_token(self, api_client):
        response = api_client.get("/api/v1/leads/")
        assert response.status_code == 401 and response.json()["codigo"] == "nao_autenticado"

    def test_lists_only_own_unimed_leads_with_cursor(
        self, seller, api_for, unimed, other_unimed, intake_kwargs
    ):
        mine = [lead_intake(**intake_kwargs(document=make_cnpj(n)))[0] for n in range(1, 4)]
        lead_intake(**intake_kwargs(document=make_cnpj(9), municipality_code=FLORIANOPOLIS))
        client = api_for(unimed)
        page = client.get("/api/v1/leads/?limite=2").json()
        assert [row["id"] for row in page["results"]] == [mine[2].pk, mine[1].pk]
        assert (
            page["results"][0]["cd_unimed"] == "0137"
            and page["results"][0]["vendedor"] == "vendedor.0137"
        )
        page2 = client.get(page["next"]).json()
        assert [row["id"] for row in page2["results"]] == [mine[0].pk] and page2["next"] is None
        other = api_for(other_unimed).get("/api/v1/leads/").json()["results"]
        assert len(other) == 1 and other[0]["cd_cidade"] == FLORIANOPOLIS

    def test_filter_and_bad_filter(self, seller, api_for, unimed, intake_kwargs):
        lead_intake(**intake_kwargs())
        client = api_for(unimed)
        assert len(client.get("/api/v1/leads/?situacao=novo").json()["results"]) == 1
        assert client.get("/api/v1/leads/?situacao=ganho").json()["results"] == []
        bad = client.get("/api/v1/leads/?situacao=fechado")
        assert bad.status_code == 400 and "situacao" in bad.json()["campos"]

    def test_detail_with_timeline_and_tenant_scope(
        self, seller, api_for, unimed, other_unimed, intake_kwargs
    ):
        lead, _ = lead_intake(**intake_kwargs(document="12.abc.345/01de-35"))
        lead_intake(**intake_kwargs(document=CNPJ_ALNUM, message="de novo"))
        body = api_for(unimed).get(f"/api/v1/leads/{lead.pk}/").json()
        assert body["documento"] == CNPJ_ALNUM and body["tipo_documento"] == "cnpj"
        assert [e["tipo"] for e in body["eventos"]] == ["criado", "atribuido", "nova_demanda"]
        missing = api_for(other_unimed).get(f"/api/v1/leads/{lead.pk}/")
        assert missing.status_code == 404 and missing.json()["codigo"] == "nao_encontrado"


@pytest.mark.django_db
class TestReservationsApi:
    def test_reserve_conflict_renew_release(
        self, seller, api_for, unimed, other_unimed, make_staff, settings
    ):
        settings.GPU_MARKET_RESERVATION_MAX_RENEWALS = 1
        # Renewable from its first day (the default allows it only in the last days).
        settings.GPU_MARKET_RESERVATION_RENEW_WINDOW_DAYS = settings.GPU_MARKET_RESERVATION_DAYS
        rival = make_staff(other_unimed, Role.VENDEDOR, username="vendedor.0025")
        created = api_for(unimed).post(
            "/api/v1/reservas-mercado/",
            {"documento": "12.abc.345/01de-35", "vendedor": "vendedor.0137"},
            format="json",
        )
        assert created.status_code == 201, created.json()
        body = created.json()
        assert (
            body["documento"] == CNPJ_ALNUM
            and body["vendedor"] == "vendedor.0137"
            and body["expira_em"]
        )
        refused = api_for(other_unimed).post(
            "/api/v1/reservas-mercado/",
            {"documento": CNPJ_ALNUM, "vendedor": rival.username},
            format="json",
        )
        assert refused.status_code == 409
        error = refused.json()
        assert error["codigo"] == "reserva_existente" and error["campos"] == {}
        assert "Unimed 0137 até " in error["mensagem"] and "vendedor.0137" not in error["mensagem"]
        client = api_for(unimed)
        renewed = client.post(f"/api/v1/reservas-mercado/{body['id']}/renovar")
        assert renewed.status_code == 200 and renewed.json()["renovacoes"] == 1
        again = client.post(f"/api/v1/reservas-mercado/{body['id']}/renovar")
        assert again.status_code == 409 and again.json()["codigo"] == "limite_renovacoes"
        assert (
            api_for(other_unimed).post(f"/api/v1/reservas-mercado/{body['id']}/liberar").status_code
            == 404
        )
        released = client.post(
            f"/api/v1/reservas-mercado/{body['id']}/liberar",
            {"motivo": "sem interesse"},
            format="json",
        )
        assert released.status_code == 200 and released.json()["situacao"] == "liberada"

    @pytest.mark.parametrize(
        "payload, field",
        [
            ({"documento": "12.ABC.345/01DE-34", "vendedor": "vendedor.0137"}, "documento"),
            ({"documento": CNPJ_ALNUM, "vendedor": "fulano"}, "vendedor"),
            ({"documento": CNPJ_ALNUM}, "vendedor"),
        ],
    )
    def test_bad_input_is_400_with_field(self, seller, api_for, unimed, payload, field):
        response = api_for(unimed).post("/api/v1/reservas-mercado/", payload, format="json")
        assert response.status_code == 400 and field in response.json()["campos"]
        assert not MarketReservation.objects.exists()

    def test_seller_of_another_unimed_is_refused(self, seller, api_for, other_unimed):
        response = api_for(other_unimed).post(
            "/api/v1/reservas-mercado/",
            {"documento": CNPJ_ALNUM, "vendedor": "vendedor.0137"},
            format="json",
        )
        assert response.status_code == 400 and "Unimed 0025" in response.json()["mensagem"]

    def test_list_active(self, seller, api_for, unimed):
        client = api_for(unimed)
        client.post(
            "/api/v1/reservas-mercado/",
            {"documento": CNPJ_ALNUM, "vendedor": "vendedor.0137"},
            format="json",
        )
        assert [r["documento"] for r in client.get("/api/v1/reservas-mercado/").json()] == [
            CNPJ_ALNUM
        ]


@pytest.mark.django_db
def test_contracts_load_reports_each_line(areas, api_for, unimed):
    payload = {
        "contratos": [
            {"documento": "11.222.333/0001-81", "nr_contrato": "EMP-1", "dt_inicio": "2024-03-01"},
            {"documento": "11.222.333/0001-82", "nr_contrato": "EMP-2"},
            {
                "documento": "12.abc.345/01de-35",
                "nr_contrato": "EMP-3",
                "dt_inicio": "01/02/2025",
                "ativo": False,
            },
            {"documento": "11.222.333/0001-81", "nr_contrato": "EMP-1", "dt_inicio": "31/02/2024"},
        ]
    }
    response = api_for(unimed).post("/api/v1/contratos-ativos/", payload, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["criados"], body["atualizados"], body["erros"]) == (2, 0, 2)
    assert [line["situacao"] for line in body["linhas"]] == ["criado", "erro", "criado", "erro"]
    assert "dígito verificador" in body["linhas"][1]["mensagem"]
    assert "Data inválida" in body["linhas"][3]["mensagem"]
    assert set(ActiveContract.objects.values_list("contract_number", "active", "unimed__code")) == {
        ("EMP-1", True, "0137"),
        ("EMP-3", False, "0137"),
    }
    empty = api_for(unimed).post("/api/v1/contratos-ativos/", {"contratos": []}, format="json")
    assert empty.status_code == 400 and empty.json()["codigo"] == "dados_invalidos"


@pytest.mark.django_db
def test_schema_documents_leads_endpoints(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "/api/v1/reservas-mercado/" in text
        and "reserva_existente" in text
        and "/api/v1/leads/{lead_id}/" in text
    )
