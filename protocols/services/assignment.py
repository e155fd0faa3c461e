"""Who works a protocol inside the responsible Unimed: "Assumir", assignment by a
supervisor, automatic distribution by the Unimed's rule, and that rule.

Every change of owner locks the protocol, writes one internal timeline event (seen by
the responsible Unimed only, like a note), an audit row, and e-mails the new owner
through the e-mail outbox in the same transaction (core.mail: a row, not a broker call).
A forward clears the owner (protocols.services.lifecycle): the new Unimed's people take it.
"""

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from core import refcache
from core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from core.services import audit_record
from protocols.models import (
    ACTION_RULES,
    OPEN_STATUSES,
    AssignmentRule,
    EventKind,
    Protocol,
    ProtocolEvent,
    ProtocolSettings,
)
from protocols.notifications import notify_assigned
from protocols.services.lifecycle import ProtocolRef, _lock, _require
from protocols.timeline import record_event
from unimeds.actors import Actor, system_actor
from unimeds.assignment import assignee_pick, settings_locked
from unimeds.models import Level, Module
from unimeds.selectors import members_at_level

AUTO_EVENTS = frozenset({EventKind.ABERTO, EventKind.ENCAMINHADO})


def _display(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _check_open(locked: Protocol, what: str) -> None:
    if locked.status not in OPEN_STATUSES:
        raise InvalidTransition(
            _("O protocolo %(number)s não está em aberto: não é possível %(what)s.")
            % {"number": locked.number, "what": what},
            fields={"status": [locked.get_status_display()]},
        )


def _set_owner(locked: Protocol, *, owner, actor: Actor, how: str, note: str = "") -> ProtocolEvent:
    previous = locked.owner
    locked.owner = owner
    locked.save(update_fields=["owner", "updated_at"])
    data = {
        "de": previous.get_username() if previous else "",
        "para": owner.get_username(),
        "como": how,
    }
    message = (
        note
        or {
            "assumiu": f"{_display(owner)} assumiu o protocolo.",
            "atribuiu": f"Atribuído a {_display(owner)}.",
            "distribuicao": f"Distribuído automaticamente a {_display(owner)}.",
        }[how]
    )
    event = record_event(
        locked,
        kind=EventKind.ATRIBUIDO,
        actor=actor,
        from_status=locked.status,
        public=False,
        message=message,
        payload=data,
    )
    audit_record(
        actor=actor,
        action="protocolo.atribuido",
        target_type="Protocol",
        target_id=locked.pk,
        data={"numero": locked.number, **data},
    )
    if actor.user is None or owner.pk != actor.user.pk:
        notify_assigned(protocol=locked, owner=owner, event=event)
    return event


@transaction.atomic
def protocol_assume(*, actor: Actor, protocol: ProtocolRef) -> ProtocolEvent:
    """The acting person takes the protocol ("Assumir"): someone of the responsible
    Unimed with the Protocolos module at operar."""
    actor.require(Module.PROTOCOLOS, Level.OPERAR)
    locked = _lock(protocol)
    _require(
        locked, actor, ACTION_RULES["assume"][0], "Só a Unimed responsável assume o protocolo."
    )
    if actor.user is None or actor.unimed_id != locked.responsible_unimed_id:
        raise Forbidden(_("Só uma pessoa da Unimed responsável assume o protocolo."))
    _check_open(locked, "assumi-lo")
    if locked.owner_id == actor.user.pk:
        raise InvalidInput(_("O protocolo já está com você."))
    return _set_owner(locked, owner=actor.user, actor=actor, how="assumiu")


def assignable_people(unimed) -> list:
    """Who may own the Unimed's protocols: active staff with Protocolos at operar."""
    return members_at_level(unimed, Module.PROTOCOLOS, Level.OPERAR)


@transaction.atomic
def protocol_assign(
    *, actor: Actor, protocol: ProtocolRef, owner_id: int | str, note: str = ""
) -> ProtocolEvent:
    """A supervisor (Protocolos at administrar) gives the protocol to a colleague of the
    responsible Unimed. Someone of another Unimed is "not found" (404), as everywhere."""
    actor.require(Module.PROTOCOLOS, Level.ADMINISTRAR)
    locked = _lock(protocol)
    _require(
        locked, actor, ACTION_RULES["assign"][0], "Só a Unimed responsável atribui o protocolo."
    )
    _check_open(locked, "atribuí-lo")
    try:
        wanted = int(str(owner_id).strip())
    except (TypeError, ValueError):
        raise InvalidInput(
            _("Escolha a pessoa."), fields={"owner": ["Escolha a pessoa."]}
        ) from None
    people = {p.pk: p for p in assignable_people(locked.responsible_unimed)}
    owner = people.get(wanted)
    if owner is None:
        from django.contrib.auth import get_user_model

        same_unimed = (
            get_user_model()
            .objects.filter(pk=wanted, membership__unimed_id=locked.responsible_unimed_id)
            .exists()
        )
        if not same_unimed:
            raise NotFound(_("Pessoa não encontrada nesta Unimed."))
        message = "Esta pessoa não tem acesso para operar protocolos (ou está inativa)."
        raise InvalidInput(message, fields={"owner": [message]})
    if locked.owner_id == owner.pk:
        message = f"O protocolo já está com {_display(owner)}."
        raise InvalidInput(message, fields={"owner": [message]})
    return _set_owner(locked, owner=owner, actor=actor, how="atribuiu", note=(note or "").strip())


def rule_of(unimed_id: int) -> str:
    # Read on every opening and forward: memoised (the settings service bumps the memo).
    return refcache.memo(
        f"protocolos:regra:{unimed_id}",
        lambda: (
            ProtocolSettings.objects.filter(unimed_id=unimed_id)
            .values_list("assignment_rule", flat=True)
            .first()
            or ""
        ),
    )


def auto_assign_for_event(event: ProtocolEvent) -> None:
    """Protocol event hook: a protocol arriving at a Unimed (opened for it or forwarded to
    it) gets an owner by the Unimed's rule, in the same transaction. Manual: nothing."""
    if event.kind not in AUTO_EVENTS:
        return
    protocol = event.protocol
    if protocol.owner_id is not None or protocol.status not in OPEN_STATUSES:
        return
    unimed = protocol.responsible_unimed
    if not rule_of(unimed.pk):
        return
    conf = settings_locked(ProtocolSettings, unimed)
    if not conf.assignment_rule:
        return

    def open_counts(people):
        return dict(
            Protocol.objects.filter(
                owner__in=people,
                responsible_unimed=unimed,
                status__in=list(OPEN_STATUSES),
            )
            .values_list("owner")
            .annotate(n=Count("pk"))
            .values_list("owner", "n")
        )

    owner = assignee_pick(conf, assignable_people(unimed), open_counts)
    if owner is not None:
        _set_owner(protocol, owner=owner, actor=system_actor(), how="distribuicao")


@transaction.atomic
def protocol_settings_update(*, actor: Actor, assignment_rule: str) -> ProtocolSettings:
    """A supervisor of the Unimed chooses how arriving protocols are distributed."""
    actor.require(Module.PROTOCOLOS, Level.ADMINISTRAR)
    if actor.unimed is None:
        raise Forbidden(_("A distribuição é configurada por uma Unimed."))
    if assignment_rule not in AssignmentRule.values:
        message = "Regra de distribuição desconhecida."
        raise InvalidInput(message, fields={"assignment_rule": [message]})
    conf = settings_locked(ProtocolSettings, actor.unimed)
    before = conf.assignment_rule
    conf.assignment_rule = assignment_rule
    conf.save(update_fields=["assignment_rule", "updated_at"])
    audit_record(
        actor=actor,
        action="protocolos.regra_distribuicao",
        target_type="ProtocolSettings",
        target_id=conf.pk,
        data={"de": before, "para": assignment_rule},
    )
    refcache.bump()
    return conf
