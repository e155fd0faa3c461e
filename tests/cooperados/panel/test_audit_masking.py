"""Audit rows keep identifiers masked or hashed (LGPD, issue #16): the cooperado search
audit stored the searched CPF in full."""

import json

from core.identifiers import pseudonym
from core.models import AuditEvent


def test_search_audit_keeps_the_cpf_masked_and_hashed(gestor_client, unimed, make_coop):
    make_coop(unimed, full_name="Ana", cpf="52998224725")
    assert (
        gestor_client.get(
            "/painel/cooperados/", {"cpf": "529.982.247-25", "email": "ana.maria@example.com"}
        ).status_code
        == 200
    )
    row = AuditEvent.objects.get(action="cooperados.busca")
    stored = json.dumps(row.data)
    assert (
        "52998224725" not in stored
        and "529.982.247-25" not in stored
        and "ana.maria@" not in stored
    )
    # An auditor holding the CPF still finds the searches for it.
    assert row.data["filtros"]["cpf_hash"] == pseudonym("52998224725")
    assert row.data["filtros"]["cpf"] == "***.982.247-**"


def test_export_request_audit_keeps_the_searched_cpf_masked(
    gestor_client, unimed, make_coop, django_capture_on_commit_callbacks
):
    make_coop(unimed, full_name="Ana", cpf="52998224725")
    with django_capture_on_commit_callbacks(execute=True):
        gestor_client.post("/painel/cooperados/exportar/", {"cpf": "52998224725", "formato": "csv"})
    row = AuditEvent.objects.get(action="relatorio.solicitado")
    assert "52998224725" not in json.dumps(row.data)
    assert row.data["parametros"]["cpf_hash"] == pseudonym("52998224725")
