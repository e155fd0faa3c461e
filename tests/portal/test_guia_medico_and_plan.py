"""Reportar erro no Guia Médico and Quero um plano."""

import pytest

from core.errors import InvalidInput
from leads.models import Lead, LeadSource
from portal.services import portal_plan_request
from protocols.models import Channel, Protocol
from tests.portal.conftest import CURITIBA, FLORIANOPOLIS, SAO_PAULO, guia_post, plan_post
from unimeds.actors import portal_actor

GUIA = "/portal/guia-medico/reportar-erro/"
PLAN = "/portal/quero-um-plano/"
pytestmark = pytest.mark.django_db


def test_guia_medico_report_goes_to_the_provider_municipality_unimed(client, network):
    response = client.post(GUIA, guia_post())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).content.decode()
    protocol = Protocol.objects.get()
    assert protocol.channel == Channel.GUIA_MEDICO
    assert protocol.responsible_unimed == network["0666"] and protocol.number.startswith("366601")
    assert (protocol.manifestation_type.code, protocol.category.code) == ("M", 7)
    for text in (
        "Clínica Boa Saúde",
        "CRM 123456/PR",
        "Curitiba/PR",
        "telefone, endereço",
        "Rua A, 10",
        "Rua B, 20",
    ):
        assert text in protocol.message
    assert protocol.city_code == ""  # the reporter's city was not asked
    assert protocol.number in page and "corrige o Guia Médico" in page


def test_guia_medico_report_requires_what_is_wrong_and_keeps_the_rest(client, network):
    response = client.post(GUIA, guia_post(wrong_items=[], right_info=""))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "wrong_items" in errors and "right_info" in errors
    page = response.content.decode()
    assert "Clínica Boa Saúde" in page and "Rua A, 10" in page
    assert Protocol.objects.count() == 0


def test_guia_medico_in_a_municipality_without_unimed(client, network):
    response = client.post(GUIA, guia_post(uf="AM", municipality="1302603"))
    assert "Nenhuma Unimed ativa atende" in response.context["form"].errors["municipality"][0]
    assert Protocol.objects.count() == 0


def test_person_plan_request_creates_a_protocol_and_a_linked_lead(client, network):
    response = client.post(PLAN, plan_post())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).content.decode()
    protocol = Protocol.objects.get()
    lead = Lead.objects.get()
    assert (protocol.manifestation_type.code, protocol.category.code) == ("P", 8)
    assert protocol.responsible_unimed == network["0137"] and protocol.city_code == SAO_PAULO
    assert protocol.requester_cpf == "52998224725"
    assert (
        lead.protocol == protocol
        and lead.unimed == network["0137"]
        and lead.source == LeadSource.PORTAL
    )
    assert (lead.document_kind, lead.document, lead.lives) == ("cpf", "52998224725", 3)
    assert lead.current_plan == "Nenhum" and lead.municipality_id == SAO_PAULO
    assert protocol.number in page


def test_company_with_an_alphanumeric_cnpj(client, network):
    response = client.post(
        PLAN,
        plan_post(
            person_kind="pj",
            document="12.ABC.345/01DE-35",
            company_name="ACME Ltda",
            uf="SC",
            municipality=FLORIANOPOLIS,
            lives="40",
        ),
    )
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.document_kind, lead.document, lead.company_name) == (
        "cnpj",
        "12ABC34501DE35",
        "ACME Ltda",
    )
    assert lead.unimed == network["0025"] and lead.protocol.responsible_unimed == network["0025"]
    assert "empresa ACME Ltda" in lead.protocol.message


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            plan_post(person_kind="pj", document="11.222.333/0001-82", company_name="X"),
            "document",
            "CNPJ inválido",
        ),
        (
            plan_post(person_kind="pj", document="12.ABC.345/01DE-34", company_name="X"),
            "document",
            "CNPJ inválido",
        ),
        (plan_post(document="123.456.789-10"), "document", "CPF inválido"),
        (plan_post(document="11.222.333/0001-81"), "document", "Para pessoa física informe o CPF"),
        (
            plan_post(person_kind="pj", document="11.222.333/0001-81"),
            "company_name",
            "razão social",
        ),
        (plan_post(lives="0"), "lives", ""),
        (plan_post(municipality="9999999"), "municipality", "Município não encontrado"),
        (plan_post(uf="PR", municipality=CURITIBA, message="x" * 1001), "message", "1000"),
    ],
)
def test_bad_plan_request_creates_nothing_and_keeps_the_rest(
    client, network, payload, field, message
):
    response = client.post(PLAN, payload)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert Protocol.objects.count() == 0 and Lead.objects.count() == 0
    page = response.content.decode()
    assert "Carlos Nunes" in page and "carlos@example.com.br" in page


def test_a_lead_error_rolls_the_protocol_back(network):
    """A rule only the lead intake checks (a company needs its name) leaves no protocol
    and gives the number back: the next request gets the same sequence."""
    with pytest.raises(InvalidInput) as caught:
        portal_plan_request(
            actor=portal_actor(),
            document="11.222.333/0001-81",
            name="Carlos",
            email="c@example.com",
            phone="",
            municipality_code=SAO_PAULO,
            lives=2,
        )
    assert "company_name" in caught.value.fields
    assert Protocol.objects.count() == 0 and Lead.objects.count() == 0
    protocol, _lead = portal_plan_request(
        actor=portal_actor(),
        document="11.222.333/0001-81",
        name="Carlos",
        email="c@example.com",
        phone="",
        municipality_code=SAO_PAULO,
        lives=2,
        company_name="ACME",
    )
    assert protocol.number[-6:] == f"{network['0137'].hub_sequence_start:06d}"
