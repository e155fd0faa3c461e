"""Writes of the intercâmbio registry: PTU risk-sharing intake and ending a sharing."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.identifiers import pseudonym
from core.services import audit_record
from intercambio.models import (
    ActsFor,
    InboundMessage,
    PendingRiskSharing,
    RiskSharing,
    RiskSharingHistory,
)
from intercambio.selectors import inbound_message_get, involved_unimed_ids
from intercambio.wire import (
    CARD_FIELD,
    CONTROL_FIELD,
    DESTINATION_FIELD,
    ORIGIN_FIELD,
    sharing_body,
)
from unimeds.actors import Actor
from unimeds.models import Unimed
from unimeds.selectors import unimed_by_code

# Fields of the sharing a message may change, in the order history lists them.
TRACKED = (
    "attending_unimed",
    "sharing_type",
    "starts_on",
    "ends_on",
    "full_name",
    "birth_date",
    "cpf",
)

SITUATION_MESSAGES = {
    "inclusao": "Compartilhamento de risco incluído.",
    "alteracao": "Compartilhamento de risco alterado.",
    "sem_alteracao": "Mensagem recebida; o compartilhamento já estava com estes dados.",
    "desatualizada": "Mensagem recebida, mas é mais antiga (dataGeracao) que a última aplicada: nada foi alterado.",
    "pendente": "Mensagem recebida e registrada como pendente: a Unimed remetente não é a detentora da "
    "carteirinha nem atua em nome dela. Nada muda no atendimento até a Unimed detentora confirmar.",
}


def acts_for_holder(*, sender: Unimed, holder: Unimed) -> bool:
    """Whether `sender` may change the card's routing: it is the holder, or the registry
    says it acts for the holder (or for every Unimed)."""
    if sender.pk == holder.pk:
        return True
    return (
        ActsFor.objects.filter(agent=sender)
        .filter(Q(principal=holder) | Q(principal__isnull=True))
        .exists()
    )


def pending_body(pending: PendingRiskSharing) -> dict:
    """What the sender of a pending registration is told: what it sent, nothing about the
    card's current sharing (that is the holder's business)."""
    return {
        "carteirinha": pending.card,
        "tipoCompartilhamentoRisco": pending.sharing_type,
        "unimedDetentora": {"codigo": pending.holder_unimed.code},
        "unimedAtendimento": {"codigo": pending.attending_unimed.code},
        "unimedRemetente": {"codigo": pending.sender_unimed.code},
        "dataInicio": pending.starts_on.isoformat(),
        "situacaoConfirmacao": pending.status,
    }


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict
    replayed: bool = False


def origin_unimed_code(*, actor: Actor, message: dict) -> str:
    """The sender: `codigoUnimedOrigem`, or the token's Unimed when the message omits
    it (the custo operacional example in seed 003 carries only the destination)."""
    return message["cabecalho"]["unimed"].get("codigoUnimedOrigem") or actor.unimed.code


def _replay(*, origin: Unimed, control_code: str, fingerprint: str) -> Answer | None:
    first = inbound_message_get(origin=origin, control_code=control_code)
    if first is None:
        return None
    if first.fingerprint != fingerprint:
        raise Conflict(
            _(
                "O código de controle %(codigo)s já foi usado pela Unimed %(origem)s "
                "em %(quando)s com outro conteúdo."
            )
            % {
                "codigo": control_code,
                "origem": origin.code,
                "quando": timezone.localtime(first.received_at).strftime("%d/%m/%Y %H:%M"),
            },
            code="transacao_divergente",
            fields={
                CONTROL_FIELD: [
                    "Já usado com outro conteúdo; gere um novo código para uma nova mensagem."
                ]
            },
        )
    return Answer(first.response_status, first.response_body, replayed=True)


def _resolve(*, origin: Unimed, message: dict) -> tuple[Unimed, Unimed]:
    """(holder, attending) Unimeds, or a field error naming what is wrong."""
    errors: dict[str, list[str]] = {}
    destination_code = message["cabecalho"]["unimed"]["codigoUnimedDestino"]
    card = message["dadosBeneficiario"]["carteirinhaBeneficiario"]
    attending = unimed_by_code(destination_code)
    holder = unimed_by_code(card[:4])
    if attending is None:
        errors[DESTINATION_FIELD] = [
            f"Unimed {destination_code} não está cadastrada (ou está inativa) na rede."
        ]
    elif attending == origin:
        errors[DESTINATION_FIELD] = ["A Unimed de destino não pode ser a própria Unimed de origem."]
    if holder is None:
        errors[CARD_FIELD] = [
            f"A Unimed {card[:4]} do prefixo da carteirinha não está cadastrada (ou está inativa)."
        ]
    elif attending is not None and attending == holder:
        errors[DESTINATION_FIELD] = [
            f"A Unimed de destino {attending.code} é a própria Unimed da carteirinha: não há intercâmbio."
        ]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return holder, attending


def _values(*, origin: Unimed, attending: Unimed, message: dict) -> dict:
    beneficiary, person = message["dadosBeneficiario"], message["dadosPessoa"]
    return {
        "attending_unimed": attending,
        "sharing_type": beneficiary["tipoCompartilhamentoRisco"],
        "starts_on": beneficiary["dataInicioCompartilhamentoRisco"],
        "ends_on": None,  # a message states a sharing in force: it reopens an ended one
        "full_name": person["nomeCompletoBeneficiario"],
        "birth_date": person["dataNascimento"],
        "cpf": person.get("cpf", ""),
    }


def _history(
    sharing: RiskSharing, *, change: str, actor: Actor, message=None, fields=(), reason=""
) -> None:
    RiskSharingHistory.objects.create(
        sharing=sharing,
        change=change,
        message=message,
        actor=actor.label,
        reason=reason[:300],
        changed_fields=list(fields),
        holder_unimed=sharing.holder_unimed,
        attending_unimed=sharing.attending_unimed,
        sender_unimed=sharing.sender_unimed,
        sharing_type=sharing.sharing_type,
        starts_on=sharing.starts_on,
        ends_on=sharing.ends_on,
    )


def _apply(
    *,
    actor: Actor,
    origin: Unimed,
    holder: Unimed,
    attending: Unimed,
    message: dict,
    record: InboundMessage,
) -> tuple[RiskSharing, str]:
    card = message["dadosBeneficiario"]["carteirinhaBeneficiario"]
    values = _values(origin=origin, attending=attending, message=message)
    generated_at = message["cabecalho"]["dataGeracao"]
    # Lock the card's row: two messages about one beneficiary apply one after the other.
    sharing = RiskSharing.objects.select_for_update().filter(card=card).first()
    if sharing is None:
        sharing = RiskSharing.objects.create(
            card=card,
            holder_unimed=holder,
            sender_unimed=origin,
            last_generated_at=generated_at,
            **values,
        )
        _history(
            sharing,
            change=RiskSharingHistory.Change.CREATED,
            actor=actor,
            message=record,
            fields=TRACKED,
            reason="Mensagem PTU de compartilhamento de risco.",
        )
        return sharing, "inclusao"
    # The sender holds the card or acts for its holder (acts_for_holder, checked before):
    # it may change the sharing whoever the current parties are.
    if sharing.last_generated_at and generated_at < sharing.last_generated_at:
        return sharing, "desatualizada"
    changed = [name for name in TRACKED if getattr(sharing, name) != values[name]]
    sharing.last_generated_at = generated_at
    if not changed:
        sharing.save(update_fields=["last_generated_at", "updated_at"])
        return sharing, "sem_alteracao"
    for name in changed:
        setattr(sharing, name, values[name])
    sharing.sender_unimed = origin
    sharing.save()
    _history(
        sharing,
        change=RiskSharingHistory.Change.CHANGED,
        actor=actor,
        message=record,
        fields=changed,
        reason="Mensagem PTU de compartilhamento de risco.",
    )
    return sharing, "alteracao"


def _record(*, actor: Actor, origin: Unimed, message: dict, fingerprint: str) -> Answer:
    holder, attending = _resolve(origin=origin, message=message)
    header = message["cabecalho"]
    # The unique (origin, control code) row claims the transaction first: a concurrent
    # copy blocks on it and then fails, and replays this answer instead.
    record = InboundMessage.objects.create(
        origin_unimed=origin,
        control_code=header["codigoControleTransacao"],
        fingerprint=fingerprint,
        ptu_version=header["codigoVersaoPTU"],
        generated_at=header["dataGeracao"],
    )
    if not acts_for_holder(sender=origin, holder=holder):
        return _record_pending(
            actor=actor,
            origin=origin,
            holder=holder,
            attending=attending,
            message=message,
            record=record,
        )
    sharing, situation = _apply(
        actor=actor,
        origin=origin,
        holder=holder,
        attending=attending,
        message=message,
        record=record,
    )
    body = {
        "codigoControleTransacao": record.control_code,
        "situacao": situation,
        "mensagem": SITUATION_MESSAGES[situation],
        "recebidaEm": timezone.localtime(record.received_at).isoformat(),
        "compartilhamento": sharing_body(sharing),
    }
    record.sharing, record.response_status, record.response_body = sharing, 201, body
    record.save(update_fields=["sharing", "response_status", "response_body"])
    audit_record(
        actor=actor,
        action=f"compartilhamento_risco.{situation}",
        target_type="RiskSharing",
        target_id=sharing.pk,
        data={"carteirinha": pseudonym(card_of(message)), "controle": record.control_code},
    )
    return Answer(201, body)


def _record_pending(
    *,
    actor: Actor,
    origin: Unimed,
    holder: Unimed,
    attending: Unimed,
    message: dict,
    record: InboundMessage,
) -> Answer:
    values = _values(origin=origin, attending=attending, message=message)
    values.pop("ends_on")
    pending = PendingRiskSharing.objects.create(
        card=card_of(message),
        holder_unimed=holder,
        sender_unimed=origin,
        message=record,
        generated_at=message["cabecalho"]["dataGeracao"],
        **values,
    )
    body = {
        "codigoControleTransacao": record.control_code,
        "situacao": "pendente",
        "mensagem": SITUATION_MESSAGES["pendente"],
        "recebidaEm": timezone.localtime(record.received_at).isoformat(),
        "compartilhamento": pending_body(pending),
    }
    record.response_status, record.response_body = 201, body
    record.save(update_fields=["response_status", "response_body"])
    audit_record(
        actor=actor,
        action="compartilhamento_risco.pendente",
        target_type="PendingRiskSharing",
        target_id=pending.pk,
        data={
            "carteirinha": pseudonym(pending.card),
            "controle": record.control_code,
            "detentora": holder.code,
        },
    )
    return Answer(201, body)


def pending_transition(pending: PendingRiskSharing, to_status: str, **fields) -> None:
    """The only change of a pending registration's status (PendingRiskSharing.TRANSITIONS);
    the caller holds the row lock."""
    if to_status not in PendingRiskSharing.TRANSITIONS[pending.status]:
        raise Conflict(_("Este registro já foi decidido."), code="pendencia_decidida")
    pending.status = to_status
    for name, value in fields.items():
        setattr(pending, name, value)
    pending.save(update_fields=["status", *fields])


@transaction.atomic
def risk_sharing_pending_decide(
    *, actor: Actor, pending_id: int, confirm: bool, note: str = ""
) -> PendingRiskSharing:
    """The holder confirms (the registration is applied as if the holder had sent it,
    sender kept) or rejects a pending registration. Supervisors and gestores of the
    holder, or hub operators; history and audit written."""
    from intercambio.selectors import pending_get

    pending_get(actor=actor, pending_id=pending_id)  # scoped: another Unimed gets NotFound
    pending = (
        PendingRiskSharing.objects.select_for_update()
        .select_related("holder_unimed", "attending_unimed", "sender_unimed")
        .get(pk=pending_id)
    )
    pending_transition(
        pending,
        PendingRiskSharing.Status.CONFIRMED if confirm else PendingRiskSharing.Status.REJECTED,
        decided_by=actor.label[:150],
        decided_at=timezone.now(),
        decision_note=(note or "").strip()[:300],
    )
    if confirm:
        _apply_confirmed(actor=actor, pending=pending)
    audit_record(
        actor=actor,
        action="compartilhamento_risco." + ("confirmado" if confirm else "recusado"),
        target_type="PendingRiskSharing",
        target_id=pending.pk,
        data={"carteirinha": pseudonym(pending.card), "remetente": pending.sender_unimed.code},
    )
    return pending


def _apply_confirmed(*, actor: Actor, pending: PendingRiskSharing) -> RiskSharing:
    values = {name: getattr(pending, name) for name in TRACKED if name != "ends_on"}
    values["ends_on"] = None
    reason = f"Registro da Unimed {pending.sender_unimed.code} confirmado pela Unimed detentora."
    sharing = RiskSharing.objects.select_for_update().filter(card=pending.card).first()
    if sharing is None:
        sharing = RiskSharing.objects.create(
            card=pending.card,
            holder_unimed=pending.holder_unimed,
            sender_unimed=pending.sender_unimed,
            last_generated_at=pending.generated_at,
            **values,
        )
        _history(
            sharing,
            change=RiskSharingHistory.Change.CREATED,
            actor=actor,
            message=pending.message,
            fields=TRACKED,
            reason=reason,
        )
        return sharing
    changed = [name for name in TRACKED if getattr(sharing, name) != values[name]]
    for name in changed:
        setattr(sharing, name, values[name])
    sharing.sender_unimed = pending.sender_unimed
    sharing.last_generated_at = max(filter(None, [sharing.last_generated_at, pending.generated_at]))
    sharing.save()
    _history(
        sharing,
        change=RiskSharingHistory.Change.CHANGED,
        actor=actor,
        message=pending.message,
        fields=changed,
        reason=reason,
    )
    return sharing


def card_of(message: dict) -> str:
    return message["dadosBeneficiario"]["carteirinhaBeneficiario"]


def risk_sharing_receive(*, actor: Actor, message: dict, fingerprint: str) -> Answer:
    """Apply one validated PTU risk-sharing message sent by `actor`'s Unimed.

    Idempotent on (origin, codigoControleTransacao): a repeat with the same body gets
    the first answer back and changes nothing; another body with that code is a
    Conflict. Writes the message, the sharing, its history row and an audit row in
    one transaction; an invalid message leaves nothing behind.
    """
    if actor.unimed is None:
        raise Forbidden(_("Somente uma Unimed envia mensagens PTU."))
    origin_code = origin_unimed_code(actor=actor, message=message)
    if origin_code != actor.unimed.code:
        raise Forbidden(
            _("A Unimed de origem %(origin_code)s não é a Unimed do token (%(code)s).")
            % {"origin_code": origin_code, "code": actor.unimed.code},
            fields={ORIGIN_FIELD: [f"Deve ser a Unimed do token ({actor.unimed.code})."]},
        )
    origin, control_code = actor.unimed, message["cabecalho"]["codigoControleTransacao"]
    replay = _replay(origin=origin, control_code=control_code, fingerprint=fingerprint)
    if replay:
        return replay
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _record(actor=actor, origin=origin, message=message, fingerprint=fingerprint)
        except IntegrityError:
            # Lost a race: either a copy of this message (replay it) or another message
            # creating the same card (retry once: the card's row now exists).
            replay = _replay(origin=origin, control_code=control_code, fingerprint=fingerprint)
            if replay:
                return replay
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def risk_sharing_end(*, actor: Actor, sharing_id: int, ends_on: date, reason: str) -> RiskSharing:
    """End a sharing on `ends_on` (inclusive): from the next day routing falls back to
    the card prefix. For hub operators and the Unimeds involved; writes history and audit."""
    # Lock the row: an incoming message must not interleave with the ending.
    sharing = RiskSharing.objects.select_for_update().filter(pk=sharing_id).first()
    if sharing is None or not (
        actor.sees_all_unimeds or actor.unimed_id in involved_unimed_ids(sharing)
    ):
        raise NotFound(_("Compartilhamento de risco não encontrado."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("Informe o motivo do encerramento."), fields={"reason": ["Obrigatório."]}
        )
    if ends_on < sharing.starts_on:
        raise InvalidInput(
            _("O fim não pode ser anterior ao início do compartilhamento."),
            fields={"ends_on": [f"Deve ser a partir de {sharing.starts_on:%d/%m/%Y}."]},
        )
    if sharing.ends_on is not None and sharing.ends_on <= ends_on:
        raise Conflict(
            _("O compartilhamento já termina em %(fim)s.")
            % {"fim": sharing.ends_on.strftime("%d/%m/%Y")}
        )
    sharing.ends_on = ends_on
    sharing.save(update_fields=["ends_on", "updated_at"])
    _history(
        sharing,
        change=RiskSharingHistory.Change.ENDED,
        actor=actor,
        fields=["ends_on"],
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="compartilhamento_risco.encerrado",
        target_type="RiskSharing",
        target_id=sharing.pk,
        data={"carteirinha": pseudonym(sharing.card), "fim": ends_on.isoformat()},
    )
    return sharing
