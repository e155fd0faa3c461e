"""Who answers for a demand inside the notified Unimed: "Assumir" and "Atribuir"."""

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import Forbidden, InvalidInput, NotFound
from core.mail import site_url
from core.services import audit_record
from regulatorio.models import DemandEvent, DemandEventKind
from regulatorio.services._common import lock_demand, record
from unimeds.actors import Actor
from unimeds.models import Level, Module
from unimeds.selectors import members_at_level


def owner_candidates(demand) -> list:
    """Who may own the demand: active staff of the Unimed ANS notified (it answers ANS),
    with Regulatório at operar."""
    return members_at_level(demand.received_by, Module.REGULATORIO, Level.OPERAR)


def may_assign_others(actor: Actor, demand) -> bool:
    return actor.unimed_id == demand.received_by_id and actor.may(
        Module.REGULATORIO, Level.ADMINISTRAR
    )


def may_assume(actor: Actor, demand) -> bool:
    return (
        actor.user is not None
        and actor.unimed_id == demand.received_by_id
        and actor.may(Module.REGULATORIO, Level.OPERAR)
        and demand.owner_id != actor.user.pk
    )


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def demand_set_owner(*, actor: Actor, demand_id, owner_id) -> DemandEvent:
    """The internal owner of a demand. Anyone of the notified Unimed with Regulatório at
    operar takes it for themselves ("Assumir"); giving it to a colleague needs
    administrar. The Unimed that only serves the beneficiary sees the demand (subsídios)
    but does not choose its owner."""
    actor.require(Module.REGULATORIO, Level.OPERAR)
    demand = lock_demand(actor, demand_id)
    if actor.user is None or actor.unimed_id != demand.received_by_id:
        raise Forbidden(_("Só a Unimed notificada pela ANS define o responsável interno."))
    try:
        wanted = int(str(owner_id).strip())
    except (TypeError, ValueError):
        message = _("Escolha a pessoa.")
        raise InvalidInput(message, fields={"owner": [message]}) from None
    if wanted != actor.user.pk:
        actor.require(Module.REGULATORIO, Level.ADMINISTRAR)
    people = {person.pk: person for person in owner_candidates(demand)}
    owner = people.get(wanted)
    if owner is None:
        from django.contrib.auth import get_user_model

        same_unimed = (
            get_user_model()
            .objects.filter(pk=wanted, membership__unimed_id=demand.received_by_id)
            .exists()
        )
        if not same_unimed:
            raise NotFound(_("Pessoa não encontrada nesta Unimed."))
        message = _("Esta pessoa não tem acesso para operar o Regulatório (ou está inativa).")
        raise InvalidInput(message, fields={"owner": [message]})
    if demand.owner_id == owner.pk:
        message = _("A demanda já está com %(nome)s.") % {"nome": _name(owner)}
        raise InvalidInput(message, fields={"owner": [message]})
    previous = demand.owner
    demand.owner = owner
    demand.save(update_fields=["owner", "updated_at"])
    how = (
        _("assumiu")
        if owner.pk == actor.user.pk
        else _("atribuiu a %(nome)s") % {"nome": _name(owner)}
    )
    message = _("%(quem)s %(como)s a demanda.") % {"quem": actor.label, "como": how}
    if previous is not None:
        message += " " + _("Antes: %(nome)s.") % {"nome": _name(previous)}
    event = record(
        demand,
        kind=DemandEventKind.RESPONSAVEL,
        actor=actor,
        message=message,
        payload={"owner": owner.pk, "previous": previous.pk if previous else None},
    )
    audit_record(
        actor=actor,
        action="regulatorio.responsavel",
        target_type="Demand",
        target_id=demand.pk,
        data={
            "numero": demand.ans_number,
            "de": previous.get_username() if previous else "",
            "para": owner.get_username(),
        },
    )
    if owner.pk != actor.user.pk and owner.email:
        # The e-mail backend is the outbox: a row that commits with the assignment.
        send_mail(
            _("GPU: demanda %(numero)s atribuída a você") % {"numero": demand.ans_number},
            _(
                "Olá, %(nome)s.\n\nA demanda %(tipo)s %(numero)s foi atribuída a você no GPU.\n"
                "Prazo legal: %(prazo)s\n\nAbra no painel: %(link)s\n"
            )
            % {
                "nome": _name(owner),
                "tipo": demand.get_kind_display(),
                "numero": demand.ans_number,
                "prazo": demand.due_date.strftime("%d/%m/%Y"),
                "link": site_url(reverse("regulatorio:detail", args=[demand.pk])),
            },
            None,
            [owner.email],
        )
    return event
