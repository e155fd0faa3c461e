"""Demo protocols among the demo Unimeds (0025, 0137, 0666, 0667), one per situation.

Idempotent: a protocol whose requester e-mail and message already exist is skipped.
Runs after unimeds.demo (staff users and service accounts must exist).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model

from protocols.demo_history import seed_history
from protocols.models import Protocol
from protocols.numbering import local_day
from protocols.services import (
    protocol_answer,
    protocol_cancel,
    protocol_close,
    protocol_open,
    protocol_reopen,
)
from unimeds.actors import actor_for_service_account, actor_for_user, portal_actor
from unimeds.models import ServiceAccount, Unimed

User = get_user_model()


def _staff(username: str):
    return actor_for_user(User.objects.get(username=username))


def _service(code: str):
    account = (
        ServiceAccount.objects.filter(unimed__code=code, is_active=True).order_by("pk").first()
    )
    return actor_for_service_account(account)


def _specs() -> list[dict]:
    past = local_day() - timedelta(days=30)
    return [
        {
            "label": "portal, beneficiário 0137, aberto",
            "actor": portal_actor,
            "open": {
                "channel": "PORTAL",
                "kind": "beneficiario",
                "card": "01370000000000006",
                "requester": {
                    "name": "Maria Aparecida Santos",
                    "cpf": "52998224725",
                    "email": "maria.demo@example.com.br",
                    "phone_ddd": "11",
                    "phone": "987650001",
                    "city_code": "3550308",
                },
                "manifestation_type": "R",
                "category": 1,
                "answer_preference": 1,
                "message": "O boleto deste mês veio com valor diferente do contrato.",
            },
        },
        {
            "label": "contingência 0666 → 0137 (intercâmbio), em análise",
            "actor": lambda: _staff("atendente.0666"),
            "open": {
                "channel": "CONTINGENCIA",
                "kind": "beneficiario",
                "card": "01370000000000014",
                "serving_unimed_code": "0666",
                "requester": {
                    "name": "José Carlos Lima",
                    "cpf": "39053344705",
                    "phone_ddd": "41",
                    "phone": "988880002",
                    "email": "jose.demo@example.com.br",
                },
                "manifestation_type": "S",
                "category": 2,
                "answer_preference": 2,
                "message": "Beneficiário em Curitiba precisa de autorização de ressonância magnética.",
            },
            "then": [
                (
                    "answer_partial",
                    "atendente.0137",
                    "Pedido recebido; aguardando a auditoria médica.",
                )
            ],
        },
        {
            "label": "sistema 0025 → 0137, respondido",
            "actor": lambda: _service("0025"),
            "open": {
                "channel": "UNIMED",
                "kind": "beneficiario",
                "card": "01370000000000022",
                "serving_unimed_code": "0025",
                "sender_transaction_id": "DEMO000003",
                "requester": {"name": "Ana Beatriz Rocha", "email": "ana.demo@example.com.br"},
                "manifestation_type": "I",
                "category": 1,
                "answer_preference": 1,
                "message": "Qual a carência para consultas com dermatologista?",
            },
            "then": [("answer", "atendente.0137", "Não há carência para consultas no seu plano.")],
        },
        {
            "label": "portal, não cliente em Curitiba → 0666",
            "actor": portal_actor,
            "open": {
                "channel": "PORTAL",
                "kind": "nao_cliente",
                "requester": {
                    "name": "Carla Mendes",
                    "email": "carla.demo@example.com.br",
                    "phone_ddd": "41",
                    "phone": "999990004",
                    "city_code": "4106902",
                },
                "manifestation_type": "P",
                "category": 8,
                "answer_preference": 3,
                "message": "Quero um plano familiar para 4 pessoas.",
            },
        },
        {
            "label": "Guia Médico, 0667, encerrado e reaberto",
            "actor": portal_actor,
            "open": {
                "channel": "GUIA_MEDICO",
                "kind": "beneficiario",
                "card": "06670000000000030",
                "requester": {"name": "Paulo Ricardo Alves", "email": "paulo.demo@example.com.br"},
                "manifestation_type": "M",
                "category": 7,
                "answer_preference": 1,
                "message": "O telefone do Dr. Fulano no Guia Médico está desatualizado.",
            },
            "then": [
                ("answer", "svc:0667", "Cadastro do prestador corrigido."),
                ("close", "svc:0667", ""),
                ("reopen", "portal", "O endereço também está errado."),
            ],
        },
        {
            "label": "contingência 0137 → 0666, cancelado",
            "actor": lambda: _staff("atendente.0137"),
            "open": {
                "channel": "CONTINGENCIA",
                "kind": "beneficiario",
                "card": "06660000000000049",
                "requester": {
                    "name": "Fernanda Costa",
                    "phone_ddd": "11",
                    "phone": "977770006",
                    "email": "fernanda.demo@example.com.br",
                },
                "manifestation_type": "C",
                "category": 6,
                "answer_preference": 2,
                "message": "Quero cancelar meu plano.",
            },
            "then": [
                ("cancel", "atendente.0137", "Aberto em duplicidade; segue no protocolo anterior.")
            ],
        },
        {
            "label": "número próprio da 0667, atrasado na 0137",
            "actor": lambda: _service("0667"),
            "open": {
                "channel": "UNIMED",
                "kind": "beneficiario",
                "card": "01370000000000057",
                "serving_unimed_code": "0667",
                "external_number": f"366701{past:%Y%m%d}000123",
                "sender_transaction_id": "DEMO000007",
                "requester": {"name": "Rafael Oliveira", "email": "rafael.demo@example.com.br"},
                "manifestation_type": "S",
                "category": 3,
                "answer_preference": 1,
                "message": "Beneficiário em Porto Alegre aguarda autorização de cirurgia cardíaca.",
            },
        },
    ]


def _actor(name: str):
    if name == "portal":
        return portal_actor()
    if name.startswith("svc:"):
        return _service(name[4:])
    return _staff(name)


def seed(stdout) -> None:
    if Unimed.objects.filter(code__in=["0025", "0137", "0666", "0667"]).count() < 4:
        stdout.write("Protocolos de demonstração: rede de demonstração ausente; nada criado.")
        return
    created = 0
    for spec in _specs():
        data = spec["open"]
        if Protocol.objects.filter(
            email=data["requester"]["email"], message=data["message"]
        ).exists():
            continue
        protocol = protocol_open(actor=spec["actor"](), **data)
        for step, who, text in spec.get("then", []):
            actor = _actor(who)
            if step == "answer_partial":
                protocol_answer(actor=actor, protocol=protocol, message=text, conclusive=False)
            elif step == "answer":
                protocol_answer(actor=actor, protocol=protocol, message=text)
            elif step == "close":
                protocol_close(actor=actor, protocol=protocol, message=text)
            elif step == "reopen":
                protocol_reopen(actor=actor, protocol=protocol, reason=text)
            elif step == "cancel":
                protocol_cancel(actor=actor, protocol=protocol, reason=text)
        protocol.refresh_from_db()
        stdout.write(
            f"Protocolo {protocol.number} ({spec['label']}): {protocol.get_status_display()}"
        )
        created += 1
    stdout.write(f"Protocolos de demonstração: {created} criados.")
    seed_history(stdout)
