"""POST /api/v1/ptu/compartilhamento-risco: both seed 003 messages, idempotency, origin."""

import json

from core.models import AuditEvent, IntegrationLog
from intercambio.models import InboundMessage, RiskSharing, RiskSharingHistory
from tests.intercambio.conftest import URL, post


def test_repasse_fixture_is_accepted_as_published(origin_api, repasse, network):
    response = post(origin_api, repasse)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["codigoControleTransacao"] == "9992311112173020"
    assert body["situacao"] == "inclusao"
    sharing = body["compartilhamento"]
    assert sharing["carteirinha"] == "00552024111173021"
    assert sharing["tipoCompartilhamentoRisco"] == "P"
    assert sharing["unimedDetentora"]["codigo"] == "0055"
    assert sharing["unimedAtendimento"]["codigo"] == "0001"
    assert sharing["unimedRemetente"]["codigo"] == "0999"
    assert sharing["dataInicio"] == "2024-11-12" and sharing["ativo"] is True
    assert sharing["responsavelAtendimento"]["codigo"] == "0001"
    assert sharing["beneficiario"] == {
        "nomeBeneficiario": "DALILA APARECIDA DE ALMEIDA",
        "cpf": "***.167.090-**",
    }

    stored = RiskSharing.objects.get(card="00552024111173021")
    assert (stored.holder_unimed, stored.attending_unimed, stored.sender_unimed) == (
        network["holder"],
        network["destination"],
        network["origin"],
    )
    assert stored.cpf == "31316709086" and str(stored.birth_date) == "1980-12-24"
    assert stored.history.get().change == RiskSharingHistory.Change.CREATED
    assert AuditEvent.objects.filter(
        action="compartilhamento_risco.inclusao", target_id=str(stored.pk)
    ).exists()


def test_custo_operacional_fixture_without_origin_takes_the_tokens_unimed(
    origin_api, custo, network
):
    response = post(origin_api, custo)
    assert response.status_code == 201, response.json()
    sharing = response.json()["compartilhamento"]
    assert sharing["tipoCompartilhamentoRisco"] == "C"
    assert sharing["unimedRemetente"]["codigo"] == "0999"
    # C: the holder keeps the contract and answers for the beneficiary.
    assert sharing["responsavelAtendimento"]["codigo"] == "0055"
    assert InboundMessage.objects.get().origin_unimed == network["origin"]


def test_a_repeat_returns_the_first_answer_and_creates_nothing(origin_api, repasse):
    first = post(origin_api, repasse)
    again = post(
        origin_api, json.loads(json.dumps(repasse, indent=4))
    )  # same content, other spacing
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert InboundMessage.objects.count() == 1 and RiskSharingHistory.objects.count() == 1


def test_a_repeat_with_a_changed_name_is_409(origin_api, repasse):
    assert post(origin_api, repasse).status_code == 201
    repasse["dadosPessoa"]["nomeCompletoBeneficiario"] = "DALILA APARECIDA DE ALMEIDA SOUZA"
    response = post(origin_api, repasse)
    assert response.status_code == 409
    body = response.json()
    assert body["codigo"] == "transacao_divergente"
    assert body["erros"][0]["campo"] == "cabecalho.codigoControleTransacao"
    assert RiskSharing.objects.get().full_name == "DALILA APARECIDA DE ALMEIDA"


def test_padding_of_the_control_code_does_not_make_a_new_transaction(origin_api, repasse):
    post(origin_api, repasse)
    repasse["cabecalho"]["codigoControleTransacao"] = "0009992311112173020"
    assert post(origin_api, repasse).status_code == 409  # same key, different bytes


def test_origin_must_be_the_tokens_unimed(network, api_for, repasse):
    response = post(api_for(network["destination"]), repasse)
    assert response.status_code == 403
    body = response.json()
    assert body["campos"] == {
        "cabecalho.unimed.codigoUnimedOrigem": ["Deve ser a Unimed do token (0001)."]
    }
    assert body["erros"] == [
        {
            "campo": "cabecalho.unimed.codigoUnimedOrigem",
            "mensagem": "Deve ser a Unimed do token (0001).",
        }
    ]
    assert not RiskSharing.objects.exists() and not InboundMessage.objects.exists()


def test_without_token_is_401_json(client, network, repasse):
    response = client.post(URL, repasse, content_type="application/json")
    assert response.status_code == 401 and response.json()["codigo"] == "nao_autenticado"


def test_a_new_message_changes_the_sharing_and_writes_history(origin_api, repasse, network):
    post(origin_api, repasse)
    repasse["cabecalho"]["codigoControleTransacao"] = 9992311112173099
    repasse["cabecalho"]["dataGeracao"] = "2024-12-01T09:00:00-03:00"
    repasse["dadosBeneficiario"]["tipoCompartilhamentoRisco"] = "C"
    repasse["dadosBeneficiario"]["dataInicioCompartilhamentoRisco"] = "2024-12-01"
    response = post(origin_api, repasse)
    assert response.status_code == 201 and response.json()["situacao"] == "alteracao"
    last = RiskSharingHistory.objects.order_by("id").last()
    assert last.change == "alteracao" and last.changed_fields == ["sharing_type", "starts_on"]
    assert last.message.control_code == "9992311112173099"


def test_the_same_data_under_a_new_code_changes_nothing(origin_api, repasse):
    post(origin_api, repasse)
    repasse["cabecalho"]["codigoControleTransacao"] = 1
    response = post(origin_api, repasse)
    assert response.status_code == 201 and response.json()["situacao"] == "sem_alteracao"
    assert RiskSharingHistory.objects.count() == 1 and InboundMessage.objects.count() == 2


def test_an_older_message_arriving_late_does_not_undo_a_newer_one(origin_api, repasse):
    repasse["cabecalho"]["dataGeracao"] = "2024-12-01T09:00:00-03:00"
    post(origin_api, repasse)
    repasse["cabecalho"].update(codigoControleTransacao=2, dataGeracao="2024-11-30T09:00:00-03:00")
    repasse["dadosBeneficiario"]["tipoCompartilhamentoRisco"] = "C"
    response = post(origin_api, repasse)
    assert response.status_code == 201 and response.json()["situacao"] == "desatualizada"
    assert RiskSharing.objects.get().sharing_type == "P"


def test_an_uninvolved_unimed_cannot_change_anothers_sharing(network, api_for, repasse):
    """Issue #16: the outsider's registration is kept as pending for the holder to decide;
    the sharing and its routing stay as they were."""
    post(api_for(network["origin"]), repasse)
    before = RiskSharing.objects.get()
    repasse["cabecalho"]["unimed"]["codigoUnimedOrigem"] = "0137"
    repasse["cabecalho"]["unimed"]["codigoUnimedDestino"] = "0999"  # would move the beneficiary
    response = post(api_for(network["outsider"]), repasse)
    assert response.status_code == 201 and response.json()["situacao"] == "pendente"
    after = RiskSharing.objects.get()
    assert (after.attending_unimed_id, after.sender_unimed_id) == (
        before.attending_unimed_id,
        before.sender_unimed_id,
    )


def test_every_request_and_answer_is_logged_masked(origin_api, repasse):
    post(origin_api, repasse)
    post(origin_api, {"cabecalho": {}})
    rows = list(
        IntegrationLog.objects.filter(operation="ptu.compartilhamento_risco").order_by("id")
    )
    assert [r.http_status for r in rows] == [201, 400]
    logged = json.dumps(rows[0].request_body) + json.dumps(rows[0].response_body)
    for secret in (
        "31316709086",
        "172189187480002",
        "dalila.almeida@",
        "APARECIDA",
        "1980-12-24",
        "34621763",
    ):
        assert secret not in logged
    assert rows[0].request_body["dadosPessoa"]["cpf"] == "***.167.090-**"
    assert rows[0].unimed.code == "0999" and rows[1].error
