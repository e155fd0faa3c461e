"""The retention panel through the HTTP client: queues, the case page, tenant and module."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from reports.models import ReportJob
from retencao.models import CaseStatus, RetentionCase, RetentionRule
from retencao.services import case_create
from tests.factories import staff_user
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(network, regua, gestor, seller):
    return case_create(actor=actor_for_user(gestor), document="529.982.247-25", name="Cliente Um")


def test_the_queue_is_sorted_by_priority_then_deadline(network, regua, gestor, seller):
    boss = actor_for_user(gestor)
    low = case_create(actor=boss, document="39053344705", name="Fora da régua")  # priority 99
    high = case_create(actor=boss, document="529.982.247-25", name="Dentro")  # priority 1
    page = _client(seller).get(reverse("retencao:queue") + "?fila=adimplentes")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(f"/casos/{high.pk}/") < html.index(f"/casos/{low.pk}/")
    assert "529.982.247-25" not in html  # a seller sees the CPF masked


def test_a_seller_works_the_case_and_its_view_is_audited(case, seller):
    client = _client(seller)
    url = reverse("retencao:detail", args=[case.pk])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(
        action="retencao.caso_visualizado", target_id=str(case.pk)
    ).exists()
    stage = reverse("retencao:stage", args=[case.pk])
    assert client.post(stage, {"to_status": "em_contato"}).status_code == 302
    # A proposal without the offer keeps what was typed and says why.
    page = client.post(stage, {"to_status": "proposta", "offer_text": "Desconto"})
    assert page.status_code == 400 and "Escolha o tipo de oferta." in page.content.decode()
    ok = client.post(
        stage, {"to_status": "proposta", "offer_type": "desconto", "offer_text": "10%"}
    )
    assert ok.status_code == 302
    assert client.post(stage, {"to_status": "retido"}).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.offer_type) == (CaseStatus.RETIDO, "desconto")
    assert case.first_contact_at is not None
    dashboard = client.get(reverse("retencao:dashboard")).content.decode()
    assert 'data-testid="desfecho-retido">1<' in dashboard


def test_another_unimeds_user_gets_404_and_a_role_without_the_module_403(case, network):
    stranger = staff_user(network["0025"], "gestor")
    for name in ("detail", "contact", "stage", "reassign"):
        url = reverse(f"retencao:{name}", args=[case.pk])
        assert _client(stranger).get(url).status_code in (404, 405)
        assert _client(stranger).post(url, {"to_status": "em_contato"}).status_code == 404
    attendant = staff_user(network["0137"], "atendente")
    assert _client(attendant).get(reverse("retencao:detail", args=[case.pk])).status_code == 403
    assert _client(attendant).get(reverse("retencao:queue")).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.ABERTO


def test_the_nav_link_shows_only_with_the_module(case, network, seller):
    assert "/painel/retencao/" in _client(seller).get("/painel/").content.decode()
    attendant = staff_user(network["0137"], "atendente")
    assert "/painel/retencao/" not in _client(attendant).get("/painel/").content.decode()


def test_the_gestor_changes_a_rule_in_the_panel_and_gets_a_new_version(case, regua, gestor):
    rule = regua["small"]
    url = reverse("retencao:rule_edit", args=[rule.pk])
    client = _client(gestor)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "PF pequeno",
            "priority": 4,
            "client_type": "pf",
            "lives_max": 10,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert RetentionRule.objects.get(key=rule.key, superseded_at__isnull=True).version == 2
    case.refresh_from_db()
    assert case.rule_id == rule.pk
    bad = client.post(
        reverse("retencao:rules"),
        {"regra-name": "x", "regra-priority": 1, "regra-lives_min": 5, "regra-lives_max": 1},
    )
    assert bad.status_code == 400 and "menor que o mínimo" in bad.content.decode()


def test_import_page_reports_each_line(network, regua, seller):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = "documento;nr_contrato;fatura;vencimento;valor;dias_atraso\n529.982.247-25;PF-1;F-1;01/11/2026;450;10\nxx;PF-1;F-2;01/11/2026;1;1\n"
    response = _client(seller).post(
        reverse("retencao:import"),
        {"kind": "faturas", "file": SimpleUploadedFile("f.csv", body.encode())},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Caso aberto" in html and "Erro" in html
    assert "caso_aberto" not in html  # core.labels: the result in words
    assert RetentionCase.objects.count() == 1


def test_export_is_a_background_report(case, seller):
    response = _client(seller).post(reverse("retencao:export"), {"queue": "adimplentes"})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.report_key == "retencao_casos"
