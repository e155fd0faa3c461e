"""Reads of answer templates, saved filters and presence — always scoped to the actor's
Unimed (another Unimed's row is NotFound, never Forbidden)."""

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotFound
from protocols.models import AnswerTemplate, Protocol, ProtocolPresence, SavedFilter
from unimeds.actors import Actor


def answer_templates_for(*, actor: Actor, active_only: bool = True) -> QuerySet[AnswerTemplate]:
    """The actor's Unimed's templates by title (none for an actor without a Unimed)."""
    if actor.unimed is None:
        return AnswerTemplate.objects.none()
    queryset = AnswerTemplate.objects.filter(unimed=actor.unimed)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("title", "id")


def answer_template_get(*, actor: Actor, template_id, active_only: bool = False) -> AnswerTemplate:
    try:
        return answer_templates_for(actor=actor, active_only=active_only).get(pk=int(template_id))
    except (AnswerTemplate.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Resposta pronta não encontrada.")) from None


def saved_filters_for(*, actor: Actor) -> QuerySet[SavedFilter]:
    """The actor's own saved filters and the ones shared with its Unimed: shared first."""
    if actor.unimed is None or actor.user is None:
        return SavedFilter.objects.none()
    return SavedFilter.objects.filter(
        Q(owner__isnull=True) | Q(owner=actor.user), unimed=actor.unimed
    ).order_by(F("owner").asc(nulls_first=True), "name", "id")


def saved_filter_get(*, actor: Actor, filter_id) -> SavedFilter:
    try:
        return saved_filters_for(actor=actor).get(pk=int(filter_id))
    except (SavedFilter.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("Filtro salvo não encontrado.")) from None


def protocol_presence_others(*, actor: Actor, protocol: Protocol) -> list[str]:
    """Who else (of the actor's Unimed) has this protocol's answer form open now."""
    queryset = ProtocolPresence.objects.filter(
        protocol=protocol, unimed=actor.unimed, expires_at__gt=timezone.now()
    )
    if actor.user is not None:
        queryset = queryset.exclude(user=actor.user)
    return list(queryset.order_by("label").values_list("label", flat=True))
