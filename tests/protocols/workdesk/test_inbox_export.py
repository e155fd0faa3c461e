"""Export of the inbox view: a report job with the inbox's filters and tenant scope, CPF
masked."""

import csv
import io

import pytest
from django.urls import reverse

from reports.models import ReportJob

pytestmark = pytest.mark.django_db


def test_export_applies_the_inbox_filters_and_scope(
    client_for, open_protocol, elsewhere_protocol, django_capture_on_commit_callbacks
):
    wanted = open_protocol()
    open_protocol(
        requester={"name": "João Pereira", "cpf": "11144477735", "email": "joao@example.com.br"}
    )
    # elsewhere_protocol: the same CPF, another Unimed's protocol — never in 0137's export.
    client, _user = client_for("0137", "supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("protocols:inbox_export"),
            {"consulta": "aba=recebidos&q=52998224725&pagina=2", "formato": "csv"},
        )
    assert response.status_code == 302 and "/painel/relatorios/#relatorio-" in response["Location"]
    job = ReportJob.objects.get(report_key="protocolos_caixa")
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.params["q"] == "52998224725" and job.params["aba"] == "recebidos"
    download = client.get(reverse("reports:report_download", args=[job.pk]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [wanted.number]
    assert rows[1][8] == "***.982.247-**"  # masked, as every export by default


def test_bad_params_are_a_message_not_a_500(client_for):
    client, _user = client_for("0137", "atendente")
    response = client.post(
        reverse("protocols:inbox_export"),
        {"consulta": "de=31/02/2026&situacao=xyz", "formato": "xlsx"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 400  # the inbox, with the same errors beside the fields
    assert "Informe uma data válida" in page or "data válida" in page
    assert not ReportJob.objects.exists()
    response = client.post(
        reverse("protocols:inbox_export"), {"consulta": "", "formato": "pdf"}, follow=True
    )
    assert "Formato inválido" in response.content.decode()
