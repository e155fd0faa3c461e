"""Demo leads for `seed_demo` (idempotent): a few leads in 0137 São Paulo, a
reservation and a contract that makes one prospect "já é cliente"."""

from django.contrib.auth import get_user_model

from core.identifiers import normalize_document
from leads.models import ActiveContract, Lead, MarketReservation, ReservationStatus
from leads.services import contract_upsert, lead_intake, lead_log_contact, reservation_reserve
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
    stdout.write(
        f"leads: {created} lead(s) criado(s); {ActiveContract.objects.filter(unimed=unimed).count()} "
        f"contrato(s) da 0137; reservas ativas: "
        f"{MarketReservation.objects.filter(status=ReservationStatus.ACTIVE).count()}."
    )
