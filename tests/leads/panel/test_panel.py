import pytest
from openpyxl import load_workbook

from core.models import AuditEvent
from leads.models import Lead, LeadSettings, LeadStatus, MarketReservation
from leads.services import lead_intake
from tests.leads.conftest import CNPJ_ALNUM, make_cnpj
from unimeds.models import Role


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def lead(sellers, intake_kwargs):
    return lead_intake(**intake_kwargs(document="12.ABC.345/01DE-35"))[0]


@pytest.mark.django_db
class TestList:
    def test_roles_and_nav(self, client, lead, make_staff, unimed):
        clerk = make_staff(unimed, Role.ATENDENTE)
        assert login(client, clerk).get("/painel/leads/").status_code == 403
        page = login(client, lead.owner).get("/painel/")
        assert 'href="/painel/leads/"' in page.content.decode()

    def test_seller_sees_only_own_and_filters_work(
        self, client, sellers, supervisor, intake_kwargs
    ):
        leads = [
            lead_intake(**intake_kwargs(document=make_cnpj(n), company_name=f"Empresa {n}"))[0]
            for n in range(1, 4)
        ]
        body = login(client, leads[0].owner).get("/painel/leads/").content.decode()
        assert "Empresa 1" in body and "Empresa 2" not in body
        sup = login(client, supervisor)
        assert all(
            f"Empresa {n}" in sup.get("/painel/leads/").content.decode() for n in range(1, 4)
        )
        filtered = sup.get(f"/painel/leads/?owner={leads[1].owner.pk}&status=novo").content.decode()
        assert "Empresa 2" in filtered and "Empresa 1" not in filtered
        assert (
            "Empresa 3" in sup.get("/painel/leads/?q=Empresa+3&deadline=no_prazo").content.decode()
        )
        assert "Nenhum lead" in sup.get("/painel/leads/?reserved=sim").content.decode()
        bad = sup.get("/painel/leads/?status=xyz")
        assert (
            bad.status_code == 200
            and "xyz não é uma das escolhas disponíveis" in bad.content.decode()
        )

    def test_cpf_masked_for_seller_full_for_supervisor(
        self, client, sellers, supervisor, intake_kwargs
    ):
        lead, _ = lead_intake(**intake_kwargs(document="529.982.247-25", company_name=""))
        assert "***.982.247-**" in login(client, lead.owner).get("/painel/leads/").content.decode()
        client.logout()
        assert (
            "529.982.247-25"
            in login(client, supervisor).get(f"/painel/leads/{lead.pk}/").content.decode()
        )
        assert AuditEvent.objects.filter(action="lead.visualizado", target_id=str(lead.pk)).exists()


@pytest.mark.django_db
class TestDetailActions:
    def test_timeline_contact_stage_won(self, client, lead):
        c = login(client, lead.owner)
        assert "Lead criado" in c.get(f"/painel/leads/{lead.pk}/").content.decode()
        response = c.post(
            f"/painel/leads/{lead.pk}/contato/", {"channel": "telefone", "note": "Pediu cotação"}
        )
        assert response.status_code == 302
        c.post(f"/painel/leads/{lead.pk}/etapa/", {"to_status": "cotacao"})
        c.post(f"/painel/leads/{lead.pk}/etapa/", {"to_status": "proposta"})
        c.post(f"/painel/leads/{lead.pk}/etapa/", {"to_status": "ganho", "note": "assinado"})
        lead.refresh_from_db()
        assert lead.status == LeadStatus.GANHO
        page = c.get(f"/painel/leads/{lead.pk}/").content.decode()
        assert "Pediu cotação" in page and "Proposta → Ganho" in page

    def test_errors_keep_what_was_typed(self, client, lead):
        c = login(client, lead.owner)
        response = c.post(
            f"/painel/leads/{lead.pk}/etapa/",
            {"to_status": "perdido", "reason": "", "note": "minha observação"},
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert "Informe o motivo da perda." in body and "minha observação" in body
        c.post(f"/painel/leads/{lead.pk}/etapa/", {"to_status": "perdido", "reason": "Achou caro"})
        lead.refresh_from_db()
        assert lead.status == LeadStatus.PERDIDO and lead.lost_reason == "Achou caro"

    def test_reserve_renew_release_from_detail(
        self, client, lead, other_unimed, make_staff, api_for, settings
    ):
        # Renewable from its first day (the default allows it only in the last days).
        settings.GPU_MARKET_RESERVATION_RENEW_WINDOW_DAYS = settings.GPU_MARKET_RESERVATION_DAYS
        c = login(client, lead.owner)
        assert c.post(f"/painel/leads/{lead.pk}/reservar/", {"seller": ""}).status_code == 302
        reservation = MarketReservation.objects.get(document=CNPJ_ALNUM, status="ativa")
        assert reservation.seller == lead.owner and reservation.lead == lead
        assert "reservado até" in c.get(f"/painel/leads/{lead.pk}/").content.decode()
        c.post(f"/painel/leads/{lead.pk}/reservas/{reservation.pk}/renovar/")
        reservation.refresh_from_db()
        assert reservation.renewals == 1
        c.post(
            f"/painel/leads/{lead.pk}/reservas/{reservation.pk}/liberar/", {"reason": "desistiu"}
        )
        reservation.refresh_from_db()
        assert reservation.status == "liberada"
        # Another Unimed reserves; this lead's page now shows the holder and refuses the move.
        make_staff(other_unimed, Role.VENDEDOR, username="vendedor.0025")
        api_for(other_unimed).post(
            "/api/v1/reservas-mercado/",
            {"documento": CNPJ_ALNUM, "vendedor": "vendedor.0025"},
            format="json",
        )
        page = c.get(f"/painel/leads/{lead.pk}/").content.decode()
        assert "reserva de mercado da Unimed 0025" in page
        refused = c.post(f"/painel/leads/{lead.pk}/reservar/", {"seller": ""})
        assert refused.status_code == 400 and "Unimed 0025 até" in refused.content.decode()

    def test_reassign_only_supervisor(self, client, lead, sellers, supervisor):
        target = next(s for s in sellers if s != lead.owner)
        assert (
            login(client, lead.owner)
            .post(f"/painel/leads/{lead.pk}/reatribuir/", {"owner": target.pk})
            .status_code
            == 403
        )
        client.logout()
        response = login(client, supervisor).post(
            f"/painel/leads/{lead.pk}/reatribuir/", {"owner": target.pk, "note": "carteira"}
        )
        assert response.status_code == 302
        lead.refresh_from_db()
        assert lead.owner == target

    def test_other_unimed_gets_404(self, client, lead, other_unimed, make_staff):
        rival = make_staff(other_unimed, Role.SUPERVISOR)
        assert login(client, rival).get(f"/painel/leads/{lead.pk}/").status_code == 404


@pytest.mark.django_db
def test_seller_creates_prospect(client, sellers):
    c = login(client, sellers[0])
    response = c.post(
        "/painel/leads/novo/",
        {
            "document": "12.abc.345/01de-35",
            "company_name": "ACME",
            "name": "Ana",
            "phone": "11999998888",
            "municipality_code": "3550308",
            "lives": 4,
            "age_bands": ["19-23", "29-33"],
        },
    )
    lead = Lead.objects.get()
    assert response.status_code == 302 and lead.owner == sellers[0] and lead.source == "vendedor"
    assert lead.age_bands == [{"faixa": "19-23", "vidas": None}, {"faixa": "29-33", "vidas": None}]
    bad = c.post(
        "/painel/leads/novo/",
        {
            "document": "12.ABC.345/01DE-34",
            "company_name": "ACME",
            "name": "Ana",
            "phone": "11999998888",
            "municipality_code": "3550308",
        },
    )
    assert bad.status_code == 200 and "dígito verificador" in bad.content.decode()
    assert 'value="ACME"' in bad.content.decode()


@pytest.mark.django_db
def test_gestor_sets_assignment_rule(client, gestor, sellers):
    assert login(client, sellers[0]).get("/painel/leads/distribuicao/").status_code == 403
    client.logout()
    c = login(client, gestor)
    assert (
        c.post("/painel/leads/distribuicao/", {"assignment_rule": "fewest_open"}).status_code == 302
    )
    assert (
        LeadSettings.objects.get(unimed=gestor.membership.unimed).assignment_rule == "fewest_open"
    )
    assert AuditEvent.objects.filter(action="leads.regra_distribuicao").exists()
    page = c.get("/painel/leads/distribuicao/").content.decode()
    assert page.count("<tr><td>Usuária Teste") == 3 and "checked" in page


@pytest.mark.django_db
def test_excel_export_through_core_reports(
    client, supervisor, sellers, intake_kwargs, django_capture_on_commit_callbacks
):
    lead_intake(**intake_kwargs(document="529.982.247-25", company_name=""))
    lead_intake(**intake_kwargs(document=CNPJ_ALNUM))
    c = login(client, sellers[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/painel/leads/exportar/", {"status": "novo"})
    assert response.status_code == 302 and response.url == "/painel/relatorios/"
    from reports.models import ReportJob

    job = ReportJob.objects.get(report_key="leads")
    assert job.status == "done", job.error if hasattr(job, "error") else job.status
    download = c.get(f"/painel/relatorios/{job.pk}/baixar/")
    assert download.status_code == 200
    import io

    sheet = load_workbook(
        io.BytesIO(
            b"".join(download.streaming_content)
            if hasattr(download, "streaming_content")
            else download.content
        )
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Id", "Criado em", "Situação", "Tipo", "CPF/CNPJ")
    # The seller only exports their own leads, and sees the CPF masked.
    mine = Lead.objects.filter(owner=sellers[0]).count()
    assert len(rows) - 1 == mine >= 1
    for row in rows[1:]:
        assert row[4] in ("***.982.247-**", "12.ABC.345/01DE-35")
