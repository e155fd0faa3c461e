"""Demo leads for `seed_demo` (idempotent): a few leads in 0137 São Paulo, a
reservation and a contract that makes one prospect "já é cliente"."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.identifiers import normalize_document
from leads.models import ActiveContract, Lead, LeadStatus, MarketReservation, ReservationStatus
from leads.services import (
    contract_upsert,
    lead_intake,
    lead_log_contact,
    lead_transition,
    reservation_reserve,
)
from protocols.demo_history import FIRST, LAST, demo_cpf
from unimeds.actors import actor_for_user, portal_actor, system_actor
from unimeds.models import Unimed

User = get_user_model()

DEMO_LEADS = [
    {
        "document": "12.ABC.345/01DE-35",
        "company_name": "Padaria Alfa Numérica Ltda",
        "name": "Carla Souza",
        "email": "carla@padaria-alfa.example",
        "phone": "11988887777",
        "municipality_code": "3550308",
        "lives": 8,
        "age_bands": [{"faixa": "24-28", "vidas": 3}, {"faixa": "34-38", "vidas": 5}],
        "plan_type": "empresarial",
        "current_plan": "Nenhum",
        "message": "Queremos plano para a equipe.",
    },
    {
        "document": "11.222.333/0001-81",
        "company_name": "Metalúrgica Exemplo S.A.",
        "name": "Roberto Lima",
        "email": "rh@metalurgica.example",
        "phone": "1133334444",
        "municipality_code": "3518800",
        "lives": 120,
        "plan_type": "empresarial",
        "current_plan": "Concorrente Saúde",
        "message": "Renovação em 60 dias; pedimos cotação.",
    },
    {
        "document": "529.982.247-25",
        "name": "Juliana Prado",
        "email": "juliana@example.com.br",
        "phone": "11977776666",
        "municipality_code": "3550308",
        "lives": 3,
        "plan_type": "individual",
        "age_bands": ["29-33", "0-18"],
        "message": "Plano para mim e dois filhos.",
    },
]
CONTRACT = {"document": "11.222.333/0001-81", "contract_number": "DEMO-EMP-0001"}


def seed(stdout) -> None:
    unimed = Unimed.objects.filter(code="0137").first()
    if unimed is None:
        stdout.write("leads: Unimed 0137 de demonstração ausente; nada a fazer.")
        return
    # The contract comes first, so the Metalúrgica's demand is routed to the relationship team.
    contract_upsert(actor=system_actor(), unimed=unimed, since=None, active=True, **CONTRACT)
    created = 0
    for spec in DEMO_LEADS:
        _kind, doc = normalize_document(spec["document"])
        if Lead.objects.filter(unimed=unimed, document=doc).exists():
            continue
        lead_intake(actor=portal_actor(), source="portal", **spec)
        created += 1
    seller = User.objects.filter(username="vendedor.0137").first()
    alfa = Lead.objects.filter(unimed=unimed, document="12ABC34501DE35").first()
    if (
        seller is not None
        and alfa is not None
        and alfa.owner_id == seller.pk
        and alfa.first_contact_at is None
    ):
        lead_log_contact(
            actor=actor_for_user(seller),
            lead_id=alfa.pk,
            channel="telefone",
            note="Apresentação feita; enviará a lista de vidas.",
        )
    if (
        seller is not None
        and alfa is not None
        and not MarketReservation.objects.filter(
            document=alfa.document, status=ReservationStatus.ACTIVE
        ).exists()
    ):
        reservation_reserve(actor=actor_for_user(seller), document=alfa.document, lead_id=alfa.pk)
    seed_history(stdout)
    stdout.write(
        f"leads: {created} lead(s) criado(s); {ActiveContract.objects.filter(unimed=unimed).count()} "
        f"contrato(s) da 0137; reservas ativas: "
        f"{MarketReservation.objects.filter(status=ReservationStatus.ACTIVE).count()}."
    )


HISTORY_EMAIL_DOMAIN = "leads-historico.example.com.br"
HISTORY_LEADS_PER_UNIMED = 14
# How far each demo lead went: every stage has leads, won and lost ones close in
# different months (the conversions chart), some new ones are due for a first contact.
PATHS = [
    [],
    [],
    [LeadStatus.EM_CONTATO],
    [LeadStatus.EM_CONTATO],
    [LeadStatus.EM_CONTATO, LeadStatus.COTACAO],
    [LeadStatus.EM_CONTATO, LeadStatus.COTACAO],
    [LeadStatus.EM_CONTATO, LeadStatus.COTACAO, LeadStatus.PROPOSTA],
    [LeadStatus.EM_CONTATO, LeadStatus.COTACAO, LeadStatus.PROPOSTA, LeadStatus.GANHO],
    [LeadStatus.EM_CONTATO, LeadStatus.COTACAO, LeadStatus.PROPOSTA, LeadStatus.GANHO],
    [LeadStatus.EM_CONTATO, LeadStatus.COTACAO, LeadStatus.PROPOSTA, LeadStatus.GANHO],
    [LeadStatus.EM_CONTATO, LeadStatus.PERDIDO],
    [LeadStatus.PERDIDO],
    [LeadStatus.EM_CONTATO, LeadStatus.COTACAO, LeadStatus.PROPOSTA],
    [LeadStatus.EM_CONTATO, LeadStatus.COTACAO],
]


def seed_history(stdout) -> int:
    """Leads of the last 90 days in every stage for each demo Unimed, through the lead
    services (intake, contact, stage moves), then dated back; once (marked by the
    e-mail domain). Two of the open ones get a reservation that expires within days."""
    if Lead.objects.filter(email__endswith=f"@{HISTORY_EMAIL_DOMAIN}").exists():
        return 0
    rng = random.Random(137)
    now = timezone.now()
    created = 0
    for unimed in Unimed.objects.filter(code__in=["0025", "0137", "0666", "0667"]):
        seller = User.objects.filter(username=f"vendedor.{unimed.code}").first()
        area = list(unimed.municipalities.values_list("code", flat=True))
        if seller is None or not area:
            continue
        seller_actor = actor_for_user(seller)
        reserved = 0
        for n in range(HISTORY_LEADS_PER_UNIMED):
            path = PATHS[n % len(PATHS)]
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            lead, _ = lead_intake(
                actor=portal_actor(),
                source="portal",
                document=demo_cpf(rng),
                name=name,
                email=f"lead{unimed.code}{n}@{HISTORY_EMAIL_DOMAIN}",
                phone=f"119{rng.randint(10000000, 99999999)}",
                municipality_code=rng.choice(area),
                lives=rng.randint(1, 5),
                plan_type=rng.choice(["individual", "adesao"]),
                message="Quero saber valores de plano.",
            )
            if lead.owner_id != seller.pk:
                continue  # another seller got it (the Unimed's own team): leave it new
            for stage in path:
                if stage == LeadStatus.EM_CONTATO:
                    lead_log_contact(
                        actor=seller_actor,
                        lead_id=lead.pk,
                        channel="telefone",
                        note="Contato feito.",
                    )
                elif stage == LeadStatus.PERDIDO:
                    lead_transition(
                        actor=seller_actor,
                        lead_id=lead.pk,
                        to_status=stage,
                        reason="Escolheu outra operadora.",
                    )
                else:
                    lead_transition(actor=seller_actor, lead_id=lead.pk, to_status=stage)
            if path and path[-1] in (LeadStatus.COTACAO, LeadStatus.PROPOSTA) and reserved < 2:
                reservation = reservation_reserve(
                    actor=seller_actor, document=lead.document, lead_id=lead.pk
                )
                MarketReservation.objects.filter(pk=reservation.pk).update(
                    expires_at=now + timedelta(days=1 + reserved * 2)
                )
                reserved += 1
            # Dated back: new ones recent (some past their first-contact date), closed
            # ones spread over the last three months.
            age = timedelta(days=rng.randint(0, 3) if not path else rng.randint(5, 88))
            changes = {"created_at": now - age}
            if not path:
                changes["first_contact_due"] = (now - age + timedelta(days=1)).date()
            if lead.closed_at or path[-1:] in ([LeadStatus.GANHO], [LeadStatus.PERDIDO]):
                changes["closed_at"] = now - age + timedelta(days=rng.randint(1, 4))
            Lead.objects.filter(pk=lead.pk).update(**changes)
            created += 1
    stdout.write(f"leads: histórico de {created} lead(s) em todas as etapas.")
    return created
