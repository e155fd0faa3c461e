from datetime import timedelta

from django.utils import timezone

from core.integration_log import integration_log_purge, log_call, mask_personal_data
from core.models import IntegrationLog


def test_masks_cpf_email_and_drops_secrets():
    body = {
        "cabecalho_transacao": {"cd_transacao": "001"},
        "solicitar_protocolo": {"cd_cpf": "52998224725", "email": "maria.souza@example.com.br",
                                 "mensagem": "contato: joao@example.com", "senha": "x"},
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
    old = log_call(direction="entrada", operation="teste", http_status=200, request_body={"cpf": "52998224725"})
    IntegrationLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = log_call(direction="saida", operation="teste", http_status=500)
    assert integration_log_purge() == 1
    assert list(IntegrationLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert IntegrationLog.objects.get(pk=recent.pk).request_body is None
