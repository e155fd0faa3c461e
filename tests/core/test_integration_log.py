import json
from datetime import timedelta

from django.utils import timezone

from core.integration_log import integration_log_purge, log_call, mask_personal_data
from core.models import IntegrationLog


def test_masks_cpf_email_and_drops_secrets():
    body = {
        "cabecalho_transacao": {"cd_transacao": "001"},
        "solicitar_protocolo": {
            "cd_cpf": "52998224725",
            "email": "maria.souza@example.com.br",
            "mensagem": "contato: joao@example.com",
            "senha": "x",
        },
        "dadosPessoa": {"cpf": "31316709086"},
    }
    masked = mask_personal_data(body)
    assert masked["solicitar_protocolo"]["cd_cpf"] == "***.982.247-**"
    assert masked["solicitar_protocolo"]["email"] == "m***@example.com.br"
    assert "joao@" not in masked["solicitar_protocolo"]["mensagem"]
    assert "senha" not in masked["solicitar_protocolo"]
    assert masked["dadosPessoa"]["cpf"] == "***.167.090-**"
    assert body["solicitar_protocolo"]["cd_cpf"] == "52998224725"  # the original is untouched


def test_log_and_purge_by_retention(db, settings):
    settings.GPU_INTEGRATION_LOG_RETENTION_DAYS = 30
    old = log_call(
        direction="entrada", operation="teste", http_status=200, request_body={"cpf": "52998224725"}
    )
    IntegrationLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = log_call(direction="saida", operation="teste", http_status=500)
    assert integration_log_purge() == 1
    assert list(IntegrationLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert IntegrationLog.objects.get(pk=recent.pk).request_body is None


def test_masks_by_value_in_free_text_unknown_keys_and_names(db):
    """Issue #16: only keys named like cd_cpf/email were masked; a CPF in the message text
    or under an unknown key, names, phones, cards and CNS stayed in clear."""
    body = {
        "cabecalho_transacao": {
            "nr_transacao_prestadora": "0000000042",
            "codigoControleTransacao": 9992141112172924,
        },
        "solicitar_protocolo": {
            "nome": "MARIA DA SILVA SOUZA",
            "nr_protocolo_anterior": "32283120261120000001",
            "id_benef": "0004812345670",
            "ddd": "48",
            "telefone": "991234567",
            "mensagem": (
                "Sou Maria Souza, CPF 529.982.247-25 (ou 52998224725), carteirinha 0137 0000000000006, "
                "CNS 898 0010 0310 9142, fone (48) 99123-4567, escreva para maria.souza@example.com.br."
            ),
            "campo_novo": "52998224725",
            "outro": 39053344705,
        },
        "dadosPessoa": {
            "nomeCompletoBeneficiario": "MARCO PAULO DE VASCONCELOS",
            "cpf": "66168662030",
        },
        "observacao": "Ligar para Marco Vasconcelos no 48 3222-1100.",
    }
    log = log_call(
        direction="entrada",
        operation="teste",
        http_status=400,
        request_body=body,
        response_body={"mensagem": "CPF 529.982.247-25 de MARIA DA SILVA SOUZA já cadastrado"},
        error="Recusado: 52998224725",
        url="/api/v1/x?cpf=52998224725",
    )
    log.refresh_from_db()
    stored = json.dumps(
        [log.request_body, log.response_body, log.error, log.url], ensure_ascii=False
    )
    for secret in (
        "52998224725",
        "529.982.247-25",
        "39053344705",
        "66168662030",
        "0000000000006",
        "0004812345670",
        "898 0010 0310 9142",
        "99123-4567",
        "991234567",
        "3222-1100",
        "maria.souza@",
        "MARIA",
        "Maria",
        "SOUZA",
        "Souza",
        "SILVA",
        "MARCO",
        "Marco",
        "VASCONCELOS",
        "Vasconcelos",
    ):
        assert secret not in stored, secret
    # What traces the call stays: transaction ids and protocol numbers.
    assert log.request_body["cabecalho_transacao"] == body["cabecalho_transacao"]
    assert (
        log.request_body["solicitar_protocolo"]["nr_protocolo_anterior"] == "32283120261120000001"
    )
    assert log.request_body["solicitar_protocolo"]["nome"] == "M*** D* S*** S***"
