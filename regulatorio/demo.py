"""Demo regulator demands for `seed_demo` (idempotent): a NIP received by 0137 with a
subsídio request to 0025, a decided NIP (RVE) and an ABI notice with three AIHs."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from regulatorio.models import Demand
from regulatorio.services import demand_act, demand_register, persus_import, subsidy_request
from unimeds.actors import actor_for_user
from unimeds.models import Unimed

User = get_user_model()
HOLDER = "atendente.0137"


def _abi(notified) -> bytes:
    day = notified.strftime("%d/%m/%Y")
    comp = (notified.replace(day=1) - timedelta(days=1)).strftime("%m/%Y")
    header = "numero_abi;data_notificacao;carteirinha;beneficiario;tipo;numero;competencia;valor_cobrado\n"
    lines = [
        f"ABI-DEMO-01;{day};01370000000000006;Maria da Silva;AIH;3526100012345;{comp};1.250,00",
        f"ABI-DEMO-01;{day};01370000000000006;Maria da Silva;AIH;3526100012346;{comp};980,10",
        f"ABI-DEMO-01;{day};01370000000000014;João Souza;APAC;3526200054321;{comp};3.210,55",
    ]
    return (header + "\n".join(lines) + "\n").encode()


def seed(stdout) -> None:
    user = User.objects.filter(username=HOLDER).first()
    if user is None or not Unimed.objects.filter(code="0025").exists():
        stdout.write("Regulatório de demonstração: rede de demonstração ausente; nada criado.")
        return
    if Demand.objects.filter(ans_number="NIP-DEMO-0001").exists():
        stdout.write("Regulatório de demonstração: já carregado.")
        return
    actor = actor_for_user(user)
    today = timezone.localdate()
    nip, _ = demand_register(
        actor=actor,
        kind="nip_assistencial",
        ans_number="NIP-DEMO-0001",
        notified_on=today - timedelta(days=1),
        card="01370000000000006",
        beneficiary_name="Maria da Silva",
        description="Beneficiária relata negativa de ressonância magnética em Florianópolis.",
    )
    subsidy_request(
        actor=actor,
        demand_id=nip.pk,
        unimed_code="0025",
        question="Enviem a guia, o motivo da negativa e o contato do prestador.",
    )
    decided, _ = demand_register(
        actor=actor,
        kind="nip_nao_assistencial",
        ans_number="NIP-DEMO-0002",
        notified_on=today - timedelta(days=20),
        card="01370000000000014",
        beneficiary_name="João Souza",
        description="Boleto cobrado em duplicidade.",
    )
    demand_act(
        actor=actor,
        demand_id=decided.pk,
        action="responder",
        message="Cobrança em duplicidade estornada em 48 horas.",
    )
    demand_act(actor=actor, demand_id=decided.pk, action="decidir", outcome="rve")
    report = persus_import(
        actor=actor, content=_abi(today - timedelta(days=3)), filename="abi-demo.csv"
    )
    stdout.write(
        f"Regulatório de demonstração: 2 NIPs e ABI com {report.summary['criados']} itens."
    )
