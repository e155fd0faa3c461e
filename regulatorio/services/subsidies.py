"""Subsídios: the demand's holder asks another Unimed for the facts, as a regulatory GPU
protocol to it (the protocols services route and deliver it like any other)."""

from datetime import date
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from core.identifiers import normalize_unimed_code
from protocols.models import AnswerPreference, Channel, Kind
from protocols.selectors import catalog_category, catalog_type
from protocols.services import protocol_open
from regulatorio.deadlines import internal_due_for
from regulatorio.models import DemandEventKind, Subsidy
from regulatorio.services._common import lock_demand, record, text
from unimeds.actors import Actor, ActorKind
from unimeds.models import Level, Module
from unimeds.selectors import unimed_by_code

# The catalog rows a subsídio request is filed under (information, non-assistential).
SUBSIDY_TYPE, SUBSIDY_CATEGORY = "I", 1


def _reply_email(actor: Actor) -> str:
    email = getattr(actor.user, "email", "") if actor.user is not None else ""
    return email or actor.unimed.contingency_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


@transaction.atomic
def subsidy_request(
    *,
    actor: Actor,
    demand_id,
    unimed_code: str,
    question: str,
    internal_due: date | None = None,
) -> Subsidy:
    """Ask `unimed_code` for information about the demand by `internal_due` (default: two
    business days before the legal due date): one GPU protocol, flagged regulatory, opened
    through protocols.services.protocol_open with that Unimed as the destination."""
    actor.require(Module.REGULATORIO, Level.OPERAR)
    body = text(question, field="question", required="Escreva o que a Unimed deve informar.")
    try:
        code = normalize_unimed_code(unimed_code)
    except Exception as exc:  # noqa: BLE001 - ValidationError carries the pt-BR message
        message = getattr(exc, "messages", [str(exc)])[0]
        raise InvalidInput(message, fields={"unimed_code": [message]}) from None
    target = unimed_by_code(code)
    if target is None:
        raise InvalidInput(
            _("Unimed %(code)s não encontrada na rede.") % {"code": code},
            fields={"unimed_code": ["Não encontrada."]},
        )
    demand = lock_demand(actor, demand_id)
    if actor.unimed is None or target.pk == actor.unimed_id:
        raise InvalidInput(
            _("Peça subsídios a outra Unimed."), fields={"unimed_code": ["Escolha outra Unimed."]}
        )
    if not demand.clock_running:
        raise InvalidInput(
            _("A demanda não tem prazo correndo: não há o que pedir."),
            fields={"unimed_code": ["Demanda sem prazo em curso."]},
        )
    today = timezone.localdate()
    due = internal_due or internal_due_for(demand.due_date, today=today)
    if due < today or due > demand.due_date:
        raise InvalidInput(
            _("O prazo interno deve ficar entre hoje e o prazo legal (%(prazo)s).")
            % {"prazo": demand.due_date.strftime("%d/%m/%Y")},
            fields={"internal_due": ["Fora do intervalo."]},
        )
    mtype, _allowed = catalog_type(SUBSIDY_TYPE)
    channel = Channel.UNIMED if actor.kind == ActorKind.SERVICE else Channel.CONTINGENCIA
    protocol = protocol_open(
        actor=actor,
        channel=channel,
        kind=Kind.BENEFICIARIO,
        requester={"name": demand.beneficiary_name, "email": _reply_email(actor)},
        manifestation_type=mtype,
        category=catalog_category(SUBSIDY_CATEGORY),
        answer_preference=AnswerPreference.EMAIL,
        card=demand.card,
        message=(
            f"[Regulatório — {demand.get_kind_display()} ANS {demand.ans_number}] Pedido de "
            f"subsídios da Unimed {actor.unimed.code}, prazo interno {due:%d/%m/%Y} "
            f"(prazo legal {demand.due_date:%d/%m/%Y}).\n\n{body}"
        )[:4000],
        destination=target,
        regulatory_due=due,
    )
    subsidy = Subsidy.objects.create(
        demand=demand, unimed=target, protocol=protocol, internal_due=due
    )
    record(
        demand,
        kind=DemandEventKind.SUBSIDIO_PEDIDO,
        actor=actor,
        from_status=demand.status,
        message=body,
        payload={
            "unimed": target.code,
            "protocol": protocol.number,
            "internal_due": due.isoformat(),
        },
    )
    return subsidy
