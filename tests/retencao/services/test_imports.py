"""Overdue bills and contract indicators: idempotent, line by line, same data by API."""

from pathlib import Path

import pytest
from django.core.management import call_command

from retencao.importers import read_rows
from retencao.models import CaseQueue, ContractIndicators, OutOfRule, OverdueBill, RetentionCase
from retencao.services import retention_load
from tests.retencao.conftest import CPF_IN, CPF_OUT
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db

BILLS = """documento;nr_contrato;fatura;vencimento;valor;dias_atraso;nome
529.982.247-25;PF-1;F-001;01/10/2026;450,00;35;Cliente Um
529.982.247-25;PF-1;F-002;01/11/2026;450,00;5;Cliente Um
111.444.777-35;PF-2;F-003;01/08/2026;900,00;120;Cliente Dois
111.444.777-35;PF-2;F-004;01/11/2026;900,00;3;Cliente Dois
123.456.789-00;PF-9;F-005;01/11/2026;100,00;3;CPF errado
"""


def _file(tmp_path, text: str, name: str = "faturas.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_same_file_twice_opens_each_case_once(tmp_path, network, regua, gestor):
    actor = actor_for_user(gestor)
    path = _file(tmp_path, BILLS)
    first = retention_load(actor=actor, kind="faturas", rows=read_rows("faturas", path))
    assert [(r.line, r.status) for r in first] == [
        (2, "caso_aberto"),  # CPF_IN meets "PF pequeno"
        (3, "evento"),  # a second bill of a client with an open case: an event
        (4, "caso_aberto"),  # CPF_OUT: 40 lives, but 120 days late meets "Atraso grave"
        (5, "evento"),
        (6, "erro"),
    ]
    assert "CPF inválido" in first[4].message
    cases = {c.document: c for c in RetentionCase.objects.all()}
    assert set(cases) == {CPF_IN, CPF_OUT}
    assert cases[CPF_IN].queue == CaseQueue.INADIMPLENTES and cases[CPF_IN].days_late == 35
    assert cases[CPF_OUT].rule == regua["late"]
    assert cases[CPF_IN].events.filter(kind="nova_fatura").count() == 1
    second = retention_load(actor=actor, kind="faturas", rows=read_rows("faturas", path))
    assert [r.status for r in second] == ["sem_alteracao"] * 4 + ["erro"]
    assert RetentionCase.objects.count() == 2 and OverdueBill.objects.count() == 4
    assert cases[CPF_IN].events.filter(kind="nova_fatura").count() == 1


def test_a_client_outside_every_rule_is_recorded_with_the_reason(tmp_path, network, regua, gestor):
    text = "documento;nr_contrato;fatura;vencimento;valor;dias_atraso\n111.444.777-35;PF-2;F-9;01/11/2026;900;10\n"
    results = retention_load(
        actor=actor_for_user(gestor),
        kind="faturas",
        rows=read_rows("faturas", _file(tmp_path, text)),
    )
    assert results[0].status == "fora_da_regua"
    assert OutOfRule.objects.get().reason == results[0].message
    assert not RetentionCase.objects.exists()


def test_indicators_import_updates_by_contract_and_reports_each_line(
    tmp_path, network, regua, gestor
):
    text = (
        "cpf_cnpj,contrato,vidas,faixas,sinistralidade,meses_de_contrato,mensalidade\n"
        "529.982.247-25,PF-1,3,29-33:2|0-18:1,41.5,31,500.00\n"
        "11.222.333/0001-81,PJ-1,55,,65,12,12000\n"
        "11.222.333/0001-81,PJ-2,abc,,65,12,12000\n"
        "11.222.333/0001-81,PJ-3,5,99-100,65,12,12000\n"
    )
    rows = read_rows("indicadores", _file(tmp_path, text, "ind.csv"))
    results = retention_load(actor=actor_for_user(gestor), kind="indicadores", rows=rows)
    assert [r.status for r in results] == ["atualizado", "criado", "erro", "erro"]
    assert "Vidas inválido" in results[2].message and "Faixa etária inválida" in results[3].message
    found = ContractIndicators.objects.get(contract_number="PF-1")
    assert (found.lives, str(found.loss_ratio), found.age_bands[0]) == (
        3,
        "41.50",
        {"faixa": "29-33", "vidas": 2},
    )


def test_a_bad_header_says_which_columns(tmp_path, network, gestor):
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="dias_atraso"):
        list(
            read_rows("faturas", _file(tmp_path, "documento;nr_contrato;fatura;vencimento;valor\n"))
        )


def test_command_imports_and_reports(tmp_path, network, regua, capsys):
    call_command("retencao_import", "faturas", str(_file(tmp_path, BILLS)), "--unimed", "0137")
    out = capsys.readouterr().out
    assert "linha 2: caso_aberto" in out and "5 linha(s)" in out
    assert RetentionCase.objects.count() == 2


def test_another_unimeds_line_is_refused(tmp_path, network, regua, gestor):
    text = "cd_unimed;documento;nr_contrato;fatura;vencimento;valor;dias_atraso\n0025;529.982.247-25;PF-1;X;01/11/2026;1;100\n"
    rows = read_rows("faturas", _file(tmp_path, text))
    results = retention_load(actor=actor_for_user(gestor), kind="faturas", rows=rows)
    assert results[0].status == "erro" and "própria Unimed" in results[0].message
    assert not OverdueBill.objects.exists()
