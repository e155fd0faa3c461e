"""Writes of the staff's working aids: answer templates (supervisors), saved inbox filters
(personal; shared ones by supervisors) and presence on an answer form."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, InvalidInput, NotFound
from core.services import audit_record
from protocols.models import AnswerTemplate, Protocol, ProtocolPresence, SavedFilter
from protocols.selectors import protocols_visible
from protocols.workdesk.selectors import answer_template_get, saved_filter_get
from protocols.workdesk.variables import fill, template_errors
from unimeds.actors import Actor
from unimeds.models import Level, Module

# A heartbeat every 20 s renews it; two missed beats and the notice goes away.
PRESENCE_SECONDS = 45


def _require_unimed(actor: Actor, what: str) -> None:
    if actor.unimed is None:
        raise Forbidden(
            _("%(what)s pertencem a uma Unimed: entre como membro da equipe dela.") % {"what": what}
        )


def _who(actor: Actor) -> str:
    user = actor.user
    if user is None:
        return actor.label
    return (user.get_full_name() or user.get_username())[:150]


@transaction.atomic
def answer_template_save(
    *,
    actor: Actor,
    title: str,
    body: str,
    is_active: bool = True,
    template_id: int | None = None,
) -> AnswerTemplate:
    """Create (template_id None) or change one of the Unimed's answer templates. Every
    {{variable}} must be in the allowlist (protocols.workdesk.variables.VARIABLES)."""
    actor.require(Module.PROTOCOLOS, Level.ADMINISTRAR)
    _require_unimed(actor, "Respostas prontas")
    title = " ".join(str(title or "").split())
    body = str(body or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Informe um título."]
    elif len(title) > 80:
        errors["title"] = ["Use no máximo 80 caracteres no título."]
    if not body:
        errors["body"] = ["Escreva o texto da resposta."]
    elif len(body) > 4000:
        errors["body"] = ["Use no máximo 4000 caracteres no texto."]
    else:
        problems = template_errors(body)
        if problems:
            errors["body"] = problems
    if errors:
        raise InvalidInput(
            next(iter(errors.values()))[0], code="resposta_pronta_invalida", fields=errors
        )
    if template_id is None:
        template = AnswerTemplate(unimed=actor.unimed)
    else:
        # Two supervisors may edit the same template: the last save wins, whole.
        template = answer_template_get(actor=actor, template_id=template_id)
    template.title, template.body, template.is_active = title, body, bool(is_active)
    template.updated_by = _who(actor)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        message = "Já existe uma resposta pronta com este título."
        raise InvalidInput(message, code="titulo_repetido", fields={"title": [message]}) from None
    audit_record(
        actor=actor,
        action="resposta_pronta.salva",
        target_type="AnswerTemplate",
        target_id=template.pk,
        data={"titulo": title, "ativa": template.is_active},
    )
    return template


@transaction.atomic
def answer_template_delete(*, actor: Actor, template_id: int) -> None:
    actor.require(Module.PROTOCOLOS, Level.ADMINISTRAR)
    template = answer_template_get(actor=actor, template_id=template_id)
    audit_record(
        actor=actor,
        action="resposta_pronta.excluida",
        target_type="AnswerTemplate",
        target_id=template.pk,
        data={"titulo": template.title},
    )
    template.delete()


def answer_template_render(*, actor: Actor, template_id: int, protocol: Protocol) -> str:
    """The text of one of the actor's Unimed's active templates, filled with this
    protocol's values (for the answer form and bulk answers). NotFound for a template of
    another Unimed or a protocol the actor may not see."""
    actor.require(Module.PROTOCOLOS, Level.OPERAR)
    template = answer_template_get(actor=actor, template_id=template_id, active_only=True)
    if not protocols_visible(actor=actor).filter(pk=protocol.pk).exists():
        raise NotFound(_("Protocolo não encontrado."))
    return fill(template.body, protocol)


def _check_shared(actor: Actor) -> None:
    if not actor.may(Module.PROTOCOLOS, Level.ADMINISTRAR):
        raise Forbidden(
            _("Somente supervisores gerenciam os filtros compartilhados com a equipe."),
            code="filtro_compartilhado",
        )


@transaction.atomic
def saved_filter_save(*, actor: Actor, name: str, query: str, shared: bool = False) -> SavedFilter:
    """Save the inbox view `query` (its query string) under a name: for the actor alone,
    or shared with the Unimed (supervisors). The same name replaces the earlier view."""
    actor.require(Module.PROTOCOLOS, Level.CONSULTAR)
    _require_unimed(actor, "Filtros salvos")
    if actor.user is None:
        raise Forbidden(_("Somente usuários da equipe salvam filtros."))
    if shared:
        _check_shared(actor)
    name = " ".join(str(name or "").split())
    query = str(query or "").strip().lstrip("?")
    if not name or len(name) > 60:
        message = "Dê um nome de até 60 caracteres ao filtro."
        raise InvalidInput(message, code="filtro_invalido", fields={"name": [message]})
    if len(query) > 1000:
        message = "Filtro longo demais para salvar: encurte a busca."
        raise InvalidInput(message, code="filtro_invalido", fields={"name": [message]})
    saved, _created = SavedFilter.objects.update_or_create(
        unimed=actor.unimed,
        owner=None if shared else actor.user,
        name=name,
        defaults={"query": query},
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, actor: Actor, filter_id: int) -> None:
    """Delete one's own filter; a shared one only as a supervisor."""
    saved = saved_filter_get(actor=actor, filter_id=filter_id)
    if saved.shared:
        _check_shared(actor)
    saved.delete()


def protocol_presence_touch(*, actor: Actor, protocol: Protocol, answering: bool) -> None:
    """The heartbeat of an open answer form: renew the actor's presence on the protocol
    (answering) or drop it (the form was closed). Only for who may answer."""
    if actor.user is None or not actor.may(Module.PROTOCOLOS, Level.OPERAR):
        return
    if not answering:
        ProtocolPresence.objects.filter(protocol=protocol, user=actor.user).delete()
        return
    now = timezone.now()
    ProtocolPresence.objects.filter(protocol=protocol, expires_at__lte=now).delete()
    ProtocolPresence.objects.update_or_create(
        protocol=protocol,
        user=actor.user,
        defaults={
            "unimed": actor.unimed,
            "label": _who(actor),
            "expires_at": now + timedelta(seconds=PRESENCE_SECONDS),
        },
    )
