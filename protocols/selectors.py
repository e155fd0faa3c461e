"""Every read of protocols, scoped by the acting Unimed.

A Unimed sees a protocol it opened, is (or was, before a forward) responsible for,
or serves — through ProtocolParty. The portal sees nothing here (it uses
protocol_public_lookup with the requester's own data); the system and hub admins
see everything. Internal notes stay with the Unimed that wrote them.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from core import refcache
from core.errors import InvalidInput, NotFound
from core.identifiers import only_digits
from protocols.models import (
    ACTION_RULES,
    OPEN_STATUSES,
    ORIGIN,
    PARTY,
    PORTAL,
    RESPONSIBLE,
    SERVING,
    SYSTEM,
    TRANSITIONS,
    Attachment,
    Category,
    EventKind,
    ManifestationType,
    Protocol,
    ProtocolEvent,
    ProtocolParty,
)
from protocols.numbering import local_day
from unimeds.actors import Actor, ActorKind
from unimeds.models import Level, Module

_RELATED = (
    "origin_unimed",
    "responsible_unimed",
    "serving_unimed",
    "manifestation_type",
    "category",
    "owner",
)


def actor_parties(protocol: Protocol, actor: Actor) -> set[str]:
    """How the actor relates to the protocol: responsible/origin/serving/party, or
    portal/system; empty when its Unimed has nothing to do with it."""
    if actor.sees_all_unimeds:
        return {SYSTEM}
    if actor.kind == ActorKind.PORTAL:
        return {PORTAL}
    roles = set()
    unimed_id = actor.unimed_id
    if unimed_id is None:
        return roles
    if protocol.responsible_unimed_id == unimed_id:
        roles.add(RESPONSIBLE)
    if protocol.origin_unimed_id == unimed_id:
        roles.add(ORIGIN)
    if protocol.serving_unimed_id == unimed_id:
        roles.add(SERVING)
    if roles or ProtocolParty.objects.filter(protocol=protocol, unimed_id=unimed_id).exists():
        roles.add(PARTY)
    return roles


def protocols_visible(*, actor: Actor) -> QuerySet[Protocol]:
    if actor.sees_all_unimeds:
        return Protocol.objects.select_related(*_RELATED)
    if actor.unimed is None:
        return Protocol.objects.none()
    involved = ProtocolParty.objects.filter(protocol=OuterRef("pk"), unimed=actor.unimed)
    return Protocol.objects.filter(Exists(involved)).select_related(*_RELATED)


def protocol_get(*, actor: Actor, number: str | None = None, pk: int | None = None) -> Protocol:
    """One visible protocol by number or primary key; NotFound otherwise (also when it
    exists but belongs to other Unimeds: its existence is not disclosed)."""
    lookup = {"number": str(number).strip()} if number else {"pk": pk}
    try:
        return protocols_visible(actor=actor).get(**lookup)
    except (Protocol.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Protocolo não encontrado.")) from None


def protocols_of_beneficiary(
    *, actor: Actor, card: str, start=None, end=None
) -> QuerySet[Protocol]:
    """The visible protocols of one card, optionally opened within [start, end], newest
    first (the GPU history query), each with `opened_by`: who registered it."""
    first = ProtocolEvent.objects.filter(protocol=OuterRef("pk"), seq=1).values("actor_label")[:1]
    queryset = protocols_visible(actor=actor).filter(card=card).annotate(opened_by=Subquery(first))
    if start is not None:
        queryset = queryset.filter(opened_at__gte=start)
    if end is not None:
        queryset = queryset.filter(opened_at__lte=end)
    return queryset.order_by("-opened_at", "-id")


def protocols_of_requester(*, actor: Actor, protocol: Protocol, limit: int = 20) -> list[Protocol]:
    """The requester's other protocols (same CPF or same card) that the actor's Unimed may
    see — protocols_visible, so never one where it is no party — newest first."""
    same = Q(pk__in=[])
    if protocol.requester_cpf:
        same |= Q(requester_cpf=protocol.requester_cpf)
    if protocol.card:
        same |= Q(card=protocol.card)
    return list(
        protocols_visible(actor=actor)
        .filter(same)
        .exclude(pk=protocol.pk)
        .order_by("-opened_at", "-id")[:limit]
    )


def protocol_last_answer(*, protocol: Protocol) -> ProtocolEvent | None:
    """The latest public answer (partial or conclusive) of a protocol, if any."""
    return (
        protocol.events.filter(
            public=True, kind__in=[EventKind.RESPOSTA, EventKind.RESPOSTA_PARCIAL]
        )
        .order_by("-seq")
        .first()
    )


def protocol_inbox(
    *,
    actor: Actor,
    statuses=OPEN_STATUSES,
    overdue: bool | None = None,
    due_until: date | None = None,
) -> QuerySet[Protocol]:
    """What the acting Unimed must answer, most urgent first (protocol_inbox_idx).
    statuses=None: whatever the status (everything it is responsible for)."""
    if actor.unimed is None:
        return Protocol.objects.none()
    queryset = Protocol.objects.filter(responsible_unimed=actor.unimed)
    if statuses is not None:
        queryset = queryset.filter(status__in=list(statuses))
    today = local_day()
    if overdue is True:
        queryset = queryset.filter(due_date__lt=today)
    elif overdue is False:
        queryset = queryset.filter(due_date__gte=today)
    if due_until is not None:
        queryset = queryset.filter(due_date__lte=due_until)
    return queryset.select_related(*_RELATED).order_by("due_date", "opened_at", "id")


def protocols_opened(*, actor: Actor) -> QuerySet[Protocol]:
    """Protocols the acting Unimed opened (its own follow-up list)."""
    if actor.unimed is None:
        return Protocol.objects.none()
    return (
        Protocol.objects.filter(origin_unimed=actor.unimed)
        .select_related(*_RELATED)
        .order_by("-opened_at")
    )


def protocol_search(
    *,
    actor: Actor,
    number: str = "",
    document: str = "",
    status: str = "",
    opened_from: date | None = None,
    opened_to: date | None = None,
) -> QuerySet[Protocol]:
    """Filters over what the actor may see. `document` matches a CPF or a card."""
    queryset = protocols_visible(actor=actor)
    if number:
        digits = only_digits(number)
        queryset = (
            queryset.filter(number=digits)
            if len(digits) == 20
            else queryset.filter(number__startswith=digits)
        )
    if document:
        digits = only_digits(document)
        queryset = queryset.filter(Q(requester_cpf=digits) | Q(card=digits))
    if status:
        queryset = queryset.filter(status=status)
    if opened_from:
        queryset = queryset.filter(opened_on__gte=opened_from)
    if opened_to:
        queryset = queryset.filter(opened_on__lte=opened_to)
    return queryset.order_by("-opened_at", "-id")


# Events that stay with the Unimed that wrote them: its notes and who of its people
# works the case.
INTERNAL_KINDS = (EventKind.NOTA_INTERNA, EventKind.ATRIBUIDO)


def _events_visible_q(actor: Actor) -> Q:
    if actor.sees_all_unimeds:
        return Q()
    if actor.unimed is None:  # portal: what the requester may read
        return Q(public=True)
    return ~Q(kind__in=INTERNAL_KINDS) | Q(actor_unimed=actor.unimed)


def protocol_timeline(*, actor: Actor, protocol: Protocol) -> QuerySet[ProtocolEvent]:
    """Events of a protocol the actor may see (call protocol_get first for staff and
    systems; the portal passes the protocol from protocol_public_lookup)."""
    if (
        actor.unimed is not None
        and not protocols_visible(actor=actor).filter(pk=protocol.pk).exists()
    ):
        raise NotFound(_("Protocolo não encontrado."))
    return (
        ProtocolEvent.objects.filter(protocol=protocol)
        .filter(_events_visible_q(actor))
        .select_related("actor_unimed")
        .prefetch_related("attachments")
        .order_by("seq")
    )


def attachment_get(*, actor: Actor, attachment_id: int) -> Attachment:
    """An attachment whose protocol and event the actor may see; NotFound otherwise."""
    visible_events = ProtocolEvent.objects.filter(_events_visible_q(actor))
    if not actor.sees_all_unimeds:
        if actor.unimed is None:
            raise NotFound(_("Anexo não encontrado."))
        visible_events = visible_events.filter(
            protocol__in=protocols_visible(actor=actor).values("pk")
        )
    try:
        return Attachment.objects.select_related("event__protocol").get(
            pk=attachment_id, event__in=visible_events
        )
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Anexo não encontrado.")) from None


def protocol_public_lookup(*, number: str, document: str) -> Protocol:
    """The portal's status query: the number plus the requester's CPF, card or e-mail.
    Any mismatch is the same NotFound, so numbers cannot be probed for data."""
    digits = only_digits(number)
    secret = str(document or "").strip()
    if len(digits) != 20 or not secret:
        raise InvalidInput(
            _("Informe o número do protocolo (20 dígitos) e o CPF, a carteirinha ou o e-mail.")
        )
    match = (
        Q(email__iexact=secret)
        if "@" in secret
        else (
            Q(requester_cpf=only_digits(secret)) | Q(card=only_digits(secret))
            if only_digits(secret)
            else Q(pk=None)
        )
    )
    protocol = (
        Protocol.objects.select_related(*_RELATED).filter(number=digits).filter(match).first()
    )
    if protocol is None:
        raise NotFound(_("Protocolo não encontrado para os dados informados."))
    return protocol


OWNER_ACTIONS = frozenset({"assume", "assign"})


def _may_own(actor: Actor, protocol: Protocol, action: str) -> bool:
    """protocols.services.assignment's own checks: assuming is for a person of the
    responsible Unimed at operar who does not own it yet; assigning needs administrar."""
    if action == "assign":
        return actor.may(Module.PROTOCOLOS, Level.ADMINISTRAR)
    return (
        actor.user is not None
        and actor.unimed_id == protocol.responsible_unimed_id
        and actor.may(Module.PROTOCOLOS, Level.OPERAR)
        and protocol.owner_id != actor.user.pk
    )


def protocol_allowed_actions(*, actor: Actor, protocol: Protocol) -> frozenset[str]:
    """Names of ACTION_RULES the actor may perform on the protocol now (what a panel
    shows as buttons). The services still decide; this reads the same rules."""
    if not actor.may(Module.PROTOCOLOS, Level.OPERAR):
        return frozenset()  # consultar: sees, never acts
    parties = actor_parties(protocol, actor)
    allowed = set()
    for action, (needed, to_status) in ACTION_RULES.items():
        if SYSTEM not in parties and not parties & needed:
            continue
        if action in OWNER_ACTIONS and not _may_own(actor, protocol, action):
            continue
        if (
            action == "note"
            and not actor.sees_all_unimeds
            and (actor.unimed is None or PARTY not in parties)
        ):
            continue  # notes belong to a Unimed (or the system), as protocol_note checks
        if to_status is not None:
            if to_status in TRANSITIONS[protocol.status]:
                allowed.add(action)
        elif action == "note" or protocol.status in OPEN_STATUSES:
            allowed.add(action)
    return frozenset(allowed)


# The catalog as every opening reads it: memoised per process (core.refcache; an edit in
# the admin bumps it). What these return is shared: read it, never change and save it.
def catalog_allowed_categories(mtype: ManifestationType) -> frozenset[int]:
    return frozenset(mtype.categories.values_list("pk", flat=True))


def catalog_type(wanted: str) -> tuple[ManifestationType, frozenset[int]] | None:
    """The active type by the hub's code (letter) or the GPU wire digit (a synonym), with
    its allowed category ids."""

    def read():
        mtype = ManifestationType.objects.filter(
            Q(code=wanted) | Q(wire_code=wanted), is_active=True, is_fallback=False
        ).first()
        return None if mtype is None else (mtype, catalog_allowed_categories(mtype))

    return refcache.memo(f"tipo:{wanted}", read)


def catalog_category(code: int) -> Category | None:
    return refcache.memo(
        f"categoria:{code}",
        lambda: Category.objects.filter(code=code, is_active=True, is_fallback=False).first(),
    )


def catalog_fallback_type() -> ManifestationType | None:
    """The type that stands for a code outside the catalog."""
    return refcache.memo(
        "fallback:tipo", lambda: ManifestationType.objects.filter(is_fallback=True).first()
    )


def catalog_fallback_category() -> Category | None:
    """The category (and so the default deadline rule) for a code outside the catalog."""
    return refcache.memo(
        "fallback:categoria", lambda: Category.objects.filter(is_fallback=True).first()
    )


def manifestation_types() -> QuerySet[ManifestationType]:
    return (
        ManifestationType.objects.filter(is_active=True, is_fallback=False)
        .prefetch_related("categories")
        .order_by("sort_order")
    )


def categories_for(manifestation_type_code: str) -> QuerySet[Category]:
    return Category.objects.filter(
        is_active=True,
        manifestation_types__code=manifestation_type_code,
        manifestation_types__is_active=True,
    ).order_by("sort_order")
