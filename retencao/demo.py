"""Demo retention for `seed_demo` (idempotent): 0137's régua, contract indicators, overdue
bills that open cases (and one client "fora da régua"), one case worked to "retido"."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from retencao.models import CaseStatus, RetentionCase, RetentionRule
from retencao.services import case_transition, retention_load, rule_create
from unimeds.actors import Actor, ActorKind, actor_for_user, system_actor
from unimeds.models import Role, Unimed

User = get_user_model()

RULES = [
    {
        "name": "PF até 10 vidas",
        "priority": 1,
        "client_type": "pf",
        "lives_max": 10,
        "loss_ratio_max": Decimal("90"),
    },
    {
        "name": "Empresa com sinistralidade controlada",
        "priority": 2,
        "client_type": "pj",
        "loss_ratio_max": Decimal("75"),
    },
    {"name": "Atraso grave", "priority": 3, "days_late_min": 60},
]
INDICATORS = [
    {
        "documento": "529.982.247-25",
        "nr_contrato": "DEMO-PF-0001",
        "nome": "Juliana Prado",
        "vidas": 3,
        "faixas_etarias": "29-33:1|0-18:2",
        "sinistralidade": "42,5",
        "meses_contrato": 26,
        "mensalidade": "1.180,00",
    },
    {
        "documento": "11.222.333/0001-81",
        "nr_contrato": "DEMO-EMP-0001",
        "nome": "Metalúrgica Exemplo S.A.",
        "vidas": 120,
        "faixas_etarias": "24-28:40|34-38:50|44-48:30",
        "sinistralidade": "61",
        "meses_contrato": 48,
        "mensalidade": "58.400,00",
    },
    {
        "documento": "390.533.447-05",
        "nr_contrato": "DEMO-PF-0002",
        "nome": "Roberto Alves",
        "vidas": 14,
        "faixas_etarias": "59+:14",
        "sinistralidade": "130",
        "meses_contrato": 7,
        "mensalidade": "9.800,00",
    },
]
BILLS = [
    {
        "documento": "529.982.247-25",
        "nr_contrato": "DEMO-PF-0001",
        "fatura": "DEMO-F-0001",
        "vencimento": "10/10/2026",
        "valor": "1.180,00",
        "dias_atraso": 35,
        "nome": "Juliana Prado",
    },
    {
        "documento": "11.222.333/0001-81",
        "nr_contrato": "DEMO-EMP-0001",
        "fatura": "DEMO-F-0002",
        "vencimento": "10/11/2026",
        "valor": "58.400,00",
        "dias_atraso": 12,
    },
    {
        "documento": "390.533.447-05",
        "nr_contrato": "DEMO-PF-0002",
        "fatura": "DEMO-F-0003",
        "vencimento": "10/11/2026",
        "valor": "9.800,00",
        "dias_atraso": 8,
    },
]


def seed(stdout) -> None:
    unimed = Unimed.objects.filter(code="0137").first()
    if unimed is None:
        stdout.write("retencao: Unimed 0137 de demonstração ausente; nada a fazer.")
        return
    gestor = User.objects.filter(username="gestor.0137").first()
    boss = (
        actor_for_user(gestor)
        if gestor is not None
        else Actor(unimed=unimed, roles=frozenset({Role.GESTOR}), kind=ActorKind.SYSTEM)
    )
    if not RetentionRule.objects.filter(unimed=unimed).exists():
        for spec in RULES:
            rule_create(actor=boss, **spec)
    system = system_actor()
    rows = list(enumerate(INDICATORS, start=1))
    retention_load(actor=system, kind="indicadores", rows=rows, unimed=unimed)
    retention_load(
        actor=system, kind="faturas", rows=list(enumerate(BILLS, start=1)), unimed=unimed
    )
    first = RetentionCase.objects.filter(unimed=unimed, contract_number="DEMO-PF-0001").first()
    if first is not None and first.status == CaseStatus.ABERTO:
        for step, extra in (
            (CaseStatus.EM_CONTATO, {}),
            (
                CaseStatus.PROPOSTA,
                {"offer_type": "parcelamento", "offer_text": "Fatura em 3 vezes sem juros."},
            ),
            (CaseStatus.RETIDO, {"note": "Cliente aceitou o parcelamento."}),
        ):
            case_transition(actor=boss, case_id=first.pk, to_status=step, **extra)
    stdout.write(
        f"retencao: {RetentionRule.objects.filter(unimed=unimed, superseded_at__isnull=True).count()} "
        f"regra(s) da 0137; {RetentionCase.objects.filter(unimed=unimed).count()} caso(s)."
    )
