"""Must show (#17): an ABI file with 3 AIHs imported twice → one demand with 3 items; a
changed amount on the second import is reported, not silently applied."""

from decimal import Decimal

import pytest

from regulatorio.models import Demand, PersusItem
from regulatorio.services import demand_act, persus_import

pytestmark = pytest.mark.django_db
HEADER = (
    "numero_abi;data_notificacao;carteirinha;beneficiario;tipo;numero;competencia;valor_cobrado\n"
)


def abi(amount_third="3.210,55"):
    return (
        HEADER
        + "ABI-95;02/03/2026;01370004812345670;Maria da Silva;AIH;3526100012345;01/2026;1.250,00\n"
        + "ABI-95;02/03/2026;01370004812345670;Maria da Silva;AIH;3526100012346;01/2026;980,10\n"
        + f"ABI-95;02/03/2026;01370000000000006;João Souza;AIH;3526100012347;02/2026;{amount_third}\n"
    ).encode()


def test_imported_twice_one_demand_three_items_changed_amount_reported(network, holder):
    first = persus_import(actor=holder, content=abi())
    assert first.summary["criados"] == 3 and first.summary["demandas_criadas"] == 1
    again = persus_import(actor=holder, content=abi(amount_third="3.999,00"))
    assert again.summary == {
        "criados": 0,
        "ja_importados": 2,
        "valores_divergentes": 1,
        "erros": 0,
        "demandas_criadas": 0,
    }
    [changed] = [line for line in again.lines if line.status == "valor_divergente"]
    assert changed.line == 4 and "3999.00" in changed.message and "não aplicado" in changed.message
    demand = Demand.objects.get()
    assert demand.kind == "persus_abi" and demand.items.count() == 3
    assert str(demand.due_date) == "2026-04-01"  # 30 days after 02/03/2026
    assert PersusItem.objects.get(number="3526100012347").amount_charged == Decimal("3210.55")


def test_bad_lines_are_reported_the_rest_applied(network, holder):
    content = (
        HEADER
        + "ABI-96;02/03/2026;01370004812345670;Maria;AIH;1;01/2026;10,00\n"
        + "ABI-96;31/02/2026;123;;XYZ;abc;13/2026;-1\n"
    ).encode()
    report = persus_import(actor=holder, content=content)
    assert [line.status for line in report.lines] == ["criado", "erro"]
    assert "carteirinha" in report.lines[1].message.lower() or "data" in report.lines[1].message


def test_contest_and_decide_then_appeal_term(network, holder):
    persus_import(actor=holder, content=abi())
    demand = Demand.objects.get()
    items = {i.number: i.pk for i in demand.items.all()}
    demand_act(
        actor=holder,
        demand_id=demand.pk,
        action="impugnar",
        message="Atendimento fora da cobertura contratual (carência).",
        amounts={items["3526100012345"]: "1250,00"},
    )
    demand_act(
        actor=holder,
        demand_id=demand.pk,
        action="decidir",
        outcome="parcialmente_deferida",
        amounts={items["3526100012345"]: "0"},
    )
    demand.refresh_from_db()
    assert demand.status == "decidida" and demand.deadline_rule == "persus_recurso"
    assert demand.clock_running
    item = PersusItem.objects.get(number="3526100012345")
    assert (item.amount_contested, item.amount_decided) == (Decimal("1250.00"), Decimal("0.00"))


def test_panel_import_shows_the_report(network, holder, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(holder.user)
    response = client.post(
        "/painel/regulatorio/importar-abi/",
        {"file": SimpleUploadedFile("abi.csv", abi(), content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "Criados: 3" in response.content.decode()
    bad = client.post(
        "/painel/regulatorio/importar-abi/",
        {"file": SimpleUploadedFile("abi.csv", b"a;b\n1;2\n", content_type="text/csv")},
    )
    assert bad.status_code == 400 and "Cabeçalho" in bad.content.decode()


def test_items_of_another_unimeds_beneficiary_say_whom_to_ask(network, holder, client):
    """An ABI sent to 0137 may list a beneficiary of 0025: the demand stays with the first
    line's Unimed, the line and the demand page name the item's own Unimed."""
    content = (
        HEADER
        + "ABI-97;02/03/2026;01370004812345670;Maria da Silva;AIH;3526100022221;01/2026;100,00\n"
        + "ABI-97;02/03/2026;00250004812345670;Ana Souza;AIH;3526100022222;01/2026;200,00\n"
        + "ABI-97;02/03/2026;99990004812345670;Sem Rede;APAC;3526100022223;01/2026;300,00\n"
    ).encode()
    report = persus_import(actor=holder, content=content)
    assert [line.status for line in report.lines] == ["criado"] * 3
    assert report.lines[0].message == "Item criado."
    assert "Unimed 0025 (a demanda está com a 0137)" in report.lines[1].message
    assert "não é de uma Unimed da rede" in report.lines[2].message
    demand = Demand.objects.get(ans_number="ABI-97")
    assert demand.responsible_unimed.code == "0137" and demand.items.count() == 3

    client.force_login(PersusItem.objects.get(number="3526100022221").demand.owner)
    page = client.get(f"/painel/regulatorio/{demand.pk}/").content.decode()
    assert page.count("outra Unimed") == 1 and "fora da rede" in page
