"""Reads of answer templates, saved filters and presence — always scoped to the actor's
Unimed (another Unimed's row is NotFound, never Forbidden)."""

import secrets

from django.core.cache import cache
from django.db import transaction
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


SAVED_FILTERS_CACHE_SECONDS = 300


def _generation_key(unimed_id: int) -> str:
    return f"protocols:filtros-salvos:geracao:{unimed_id}"


def saved_filters_listed(*, actor: Actor) -> list[SavedFilter]:
    """saved_filters_for as a list, cached per person: the inbox draws it on every page
    (full or htmx). The list is stored with the Unimed's generation, which every write
    of one of its saved filters renews (saved_filters_changed): a list read before a
    change is never served after it, in this process or another. One cache round trip
    (generation and list together) instead of a query."""
    if actor.unimed is None or actor.user is None:
        return []
    generation_key = _generation_key(actor.unimed_id)
    list_key = f"protocols:filtros-salvos:{actor.unimed_id}:{actor.user.pk}"
    found = cache.get_many([generation_key, list_key])
    generation = found.get(generation_key)
    cached = found.get(list_key)
    if generation is not None and cached is not None and cached[0] == generation:
        return cached[1]
    if generation is None:
        token = secrets.token_hex(8)
        generation = token if cache.add(generation_key, token, timeout=None) else None
        generation = generation or cache.get(generation_key)
    # Read after the generation: a change committed later renews it, and this list, stored
    # under the older one, is read again.
    saved = list(saved_filters_for(actor=actor))
    if generation is not None:
        cache.set(list_key, (generation, saved), SAVED_FILTERS_CACHE_SECONDS)
    return saved


def saved_filters_changed(sender=None, instance: SavedFilter | None = None, **_kwargs) -> None:
    """A saved filter was written or deleted (post_save/post_delete, wired in apps.py: the
    services, the admin and cascades alike): a new generation for its Unimed now, and
    again after the commit, so a list read from the database in between (still without
    the change) is left under a generation nobody asks for."""
    if instance is None:
        return
    key = _generation_key(instance.unimed_id)

    def renew() -> None:
        cache.set(key, secrets.token_hex(8), timeout=None)

    renew()
    transaction.on_commit(renew)


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
