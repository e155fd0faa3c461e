"""Reads for the contingency panel: the inbox (tabs, filters, search, sort, a page
without an exact COUNT), dead deliveries and the actions to offer on a protocol.

Tenant scoping stays in protocols.selectors: every queryset here starts from
protocol_inbox, protocols_opened or protocols_visible and only narrows it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.db.models.lookups import Contains

from core import refcache
from core.business_days import add_business_days
from core.identifiers import only_digits
from protocols.models import (
    OPEN_STATUSES,
    Category,
    Delivery,
    DeliveryStatus,
    ManifestationType,
    Protocol,
)
from protocols.models.search import name_key, surnames_key, surnames_term
from protocols.numbering import SAO_PAULO, local_day
from protocols.outbox.selectors import deliveries_visible
from protocols.selectors import (
    protocol_allowed_actions,
    protocol_inbox,
    protocols_opened,
    protocols_visible,
)
from unimeds.actors import Actor
from unimeds.models import Level, Module, Unimed
from unimeds.selectors import members_at_level, unimed_by_id

TAB_RECEIVED, TAB_SENT, TAB_DUE_SOON, TAB_OVERDUE, TAB_DEAD, TAB_MINE = (
    "recebidos",
    "enviados",
    "vencendo",
    "vencidos",
    "entregas",
    "meus",
)
TABS = (TAB_MINE, TAB_RECEIVED, TAB_SENT, TAB_DUE_SOON, TAB_OVERDUE, TAB_DEAD)
# The owner filter's two words besides a colleague's id.
OWNER_ME, OWNER_NONE = "eu", "nenhum"
# "Vencendo": open and due from today up to this many business days ahead.
DUE_SOON_BUSINESS_DAYS = 2
PAGE_SIZE = 25
# Exact totals over a million rows cost more than the page itself: count up to the cap.
COUNT_CAP = 1000
# With a search, up to 200: a common surname is checked row by row along the page's
# index, and past a few hundred matches the useful answer is "refine the search".
SEARCH_COUNT_CAP = 200
MAX_PAGE = 400
# What a row of the inbox shows (protocols.panel.rows) and nothing more.
ROW_FIELDS = (
    "number",
    "requester_name",
    "requester_cpf",
    "manifestation_type",
    "status",
    "channel",
    "origin_unimed",
    "responsible_unimed",
    "opened_at",
    "due_date",
    "answered_at",
    "owner",
    "escalated_due",
)

# Column key → ORDER BY (ascending); "-key" sorts descending. The id keeps pages stable.
SORTS = {
    "numero": ("number",),
    "abertura": ("opened_at", "id"),
    "prazo": ("due_date", "id"),
    "nome": ("requester_name_key", "id"),  # accents aside: Ávila among the A's
    "situacao": ("status", "id"),
}
DEFAULT_SORT = {
    TAB_MINE: "prazo",  # least time left first
    TAB_RECEIVED: "-abertura",
    TAB_SENT: "-abertura",
    TAB_DUE_SOON: "prazo",
    TAB_OVERDUE: "prazo",
}


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    manifestation_type: str = ""
    category: int | None = None
    channel: str = ""
    opened_from: date | None = None
    opened_to: date | None = None
    origin: str = ""  # Unimed code
    responsible: str = ""  # Unimed code
    due: str = ""  # "hoje": open and due today
    due_from: date | None = None
    due_to: date | None = None
    q: str = ""
    unmapped: bool = False  # only protocols whose type or category is outside the catalog
    owner: str = ""  # OWNER_ME, OWNER_NONE or a colleague's user id


@dataclass
class InboxPage:
    rows: list
    number: int
    has_next: bool
    count: int  # exact when not capped; otherwise "more than count"
    capped: bool
    sort: str
    pages: list[int] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _base(actor: Actor, tab: str) -> QuerySet[Protocol]:
    today = local_day()
    if actor.unimed is None:  # hub admin: the whole network, same tabs
        visible = protocols_visible(actor=actor)
        if tab == TAB_MINE:
            return visible.none()  # a hub admin owns no protocol
        if tab == TAB_DUE_SOON:
            return visible.filter(
                status__in=list(OPEN_STATUSES),
                due_date__gte=today,
                due_date__lte=add_business_days(today, DUE_SOON_BUSINESS_DAYS),
            )
        if tab == TAB_OVERDUE:
            return visible.filter(status__in=list(OPEN_STATUSES), due_date__lt=today)
        return visible
    if tab == TAB_SENT:
        return protocols_opened(actor=actor)
    if tab == TAB_MINE:
        # The owner's open protocols: protocol_owner_open_idx by due date (the default),
        # protocol_owner_open_opened_idx by opening.
        return protocol_inbox(actor=actor).filter(owner_id=actor.user.pk if actor.user else 0)
    if tab == TAB_DUE_SOON:
        unimed = actor.unimed
        until = add_business_days(
            today, DUE_SOON_BUSINESS_DAYS, uf=unimed.uf, optional_off=unimed.optional_off
        )
        return protocol_inbox(actor=actor, overdue=False, due_until=until)
    if tab == TAB_OVERDUE:
        return protocol_inbox(actor=actor, overdue=True)
    return protocol_inbox(actor=actor, statuses=None)


def name_q(term: str) -> Q:
    """The requester's name starts with the term, or its surnames (the name after the
    first word) contain it — case and Portuguese accents aside: "jose da s", "silva",
    "SANTOS LIMA" and "conceição" find José da Silva Santos Lima da Conceicao.

    On PostgreSQL the first is a range of protocol_namekey_prefix_idx and the second a
    trigram match (protocol_surnames_trgm_idx, see surnames_key); the planner walks the
    page's own index instead when the term is common. A full name typed from its start
    is then a plain index range, instead of a trigram search through every name that
    merely shares its (common) words."""
    key = name_key(term)
    return Q(requester_name_key__startswith=key) | Q(Contains(surnames_key(), surnames_term(key)))


def number_prefix_q(digits: str) -> Q:
    """Numbers starting with these digits. A number is registry (6) + AAAAMMDD + sequence
    and its date is the protocol's opened_on (protocols.numbering; the intake writes both
    from the same day, an integrated Unimed's own number included), so a prefix that
    spells a whole valid date also fixes opened_on: a range of protocol_resp_day_idx
    (that registry's numbers of one day) instead of walking the page's index back to
    that day — which PostgreSQL did when the day was months old (LIKE tells it nothing
    about the date, and a prepared statement's generic plan cannot range over LIKE $1)."""
    match = Q(number__startswith=digits)
    if len(digits) >= 14:
        try:
            day = date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
        except ValueError:
            return match  # no number has this date: the LIKE alone finds nothing
        match &= Q(opened_on=day)
    return match


def search_q(term: str) -> Q | None:
    """What the search box means: 20 digits a number, 11 a CPF, 17 a card, other digits
    the start of a number (number_prefix_q), words the requester's name (name_q). None:
    nothing to search."""
    term = " ".join(str(term or "").split())
    if not term:
        return None
    digits = only_digits(term)
    if any(ch.isalpha() for ch in term):
        return name_q(term)
    if len(digits) == 20:
        return Q(number=digits)
    if len(digits) == 11:
        return Q(requester_cpf=digits)
    if len(digits) == 17:
        return Q(card=digits)
    if digits:
        return number_prefix_q(digits)
    return Q(pk__in=[])


def ids_by_code() -> dict[str, dict]:
    """{"types": {code: pk}, "categories": {code: pk}, "unimeds": {code: pk}, "type_names":
    {pk: name}, "unimed_codes": {pk: code}}: memoised in each process (core.refcache;
    any change to a Unimed or the catalog drops it everywhere within a second). Read-only:
    every caller shares the same dictionaries."""

    def read() -> dict[str, dict]:
        return {
            "types": dict(ManifestationType.objects.values_list("code", "pk")),
            "categories": dict(Category.objects.values_list("code", "pk")),
            "unimeds": dict(Unimed.objects.values_list("code", "pk")),
            "type_names": dict(ManifestationType.objects.values_list("pk", "name")),
            "unimed_codes": dict(Unimed.objects.values_list("pk", "code")),
        }

    return refcache.memo("protocols:panel:ids_by_code", read)


def inbox_queryset(
    *, actor: Actor, tab: str = TAB_RECEIVED, filters: InboxFilters | None = None, sort: str = ""
) -> tuple[QuerySet[Protocol], str]:
    """(queryset, effective sort) of one inbox tab. Every filter maps to an indexed column."""
    filters = filters or InboxFilters()
    queryset = _base(actor, tab if tab in DEFAULT_SORT else TAB_RECEIVED)
    ids = ids_by_code()
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    # Codes become primary keys first: a plain column filter lets PostgreSQL walk the
    # sort index instead of joining the catalog and sorting everything.
    if filters.manifestation_type:
        queryset = queryset.filter(
            manifestation_type_id=ids["types"].get(filters.manifestation_type, 0)
        )
    if filters.category:
        queryset = queryset.filter(category_id=ids["categories"].get(filters.category, 0))
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.opened_from:
        # opened_on is never after the local day of opened_at (an integrated Unimed's own
        # number may carry an earlier date, never a later one), so this bound on opened_at
        # selects nothing less — and lets PostgreSQL walk only the period along the page's
        # (responsible, -opened_at) index instead of collecting and sorting every day of it.
        since = datetime.combine(filters.opened_from, time.min, tzinfo=SAO_PAULO)
        queryset = queryset.filter(opened_on__gte=filters.opened_from, opened_at__gte=since)
    if filters.opened_to:
        queryset = queryset.filter(opened_on__lte=filters.opened_to)
    if filters.origin:
        queryset = queryset.filter(origin_unimed_id=ids["unimeds"].get(filters.origin, 0))
    if filters.responsible:
        queryset = queryset.filter(responsible_unimed_id=ids["unimeds"].get(filters.responsible, 0))
    if filters.unmapped:
        queryset = queryset.filter(catalog_unmapped=True)
    if filters.due_from:
        queryset = queryset.filter(due_date__gte=filters.due_from)
    if filters.due_to:
        queryset = queryset.filter(due_date__lte=filters.due_to)
    if filters.owner == OWNER_NONE:
        queryset = queryset.filter(owner__isnull=True)
    elif filters.owner == OWNER_ME:
        queryset = queryset.filter(owner_id=actor.user.pk if actor.user else 0)
    elif filters.owner.isdigit():
        queryset = queryset.filter(owner_id=int(filters.owner))
    if filters.due == "hoje":
        queryset = queryset.filter(status__in=list(OPEN_STATUSES), due_date=local_day())
    match = search_q(filters.q)
    if match is not None:
        queryset = queryset.filter(match)
    sort = sort if sort.lstrip("-") in SORTS else DEFAULT_SORT.get(tab, "-abertura")
    columns = SORTS[sort.lstrip("-")]
    order = [f"-{c}" for c in columns] if sort.startswith("-") else list(columns)
    return queryset.defer("message", "responsible_reason", "cancel_reason").order_by(*order), sort


def regulatory_open(*, actor: Actor, limit: int = 20) -> list[Protocol]:
    """Open regulatory requests (subsídios for a regulator's demand) this Unimed must
    answer, by internal deadline: shown above the inbox, whatever its tab or sort."""
    if actor.unimed is None:
        return []
    return list(
        Protocol.objects.filter(
            responsible_unimed=actor.unimed,
            is_regulatory=True,
            status__in=list(OPEN_STATUSES),
        )
        .select_related("origin_unimed")
        .only("number", "due_date", "requester_name", "origin_unimed__code", "status")
        .order_by("due_date", "id")[:limit]
    )


def _without_joins(queryset: QuerySet[Protocol]) -> QuerySet[Protocol]:
    # The inbox row needs only names and codes of small registries (ids_by_code): no
    # joins keeps PostgreSQL's planning short and the plan a plain index walk.
    return queryset.select_related(None)


def capped_count(queryset: QuerySet, cap: int) -> int:
    """COUNT over at most cap + 1 rows (a LIMIT subquery): cap + 1 means "more than cap"."""
    # The ORDER BY stays: it makes PostgreSQL walk the same index as the page instead of
    # scanning the table for a filter that matches nothing.
    return _without_joins(queryset).values("pk")[: cap + 1].count()


def inbox_page(
    *,
    actor: Actor,
    tab: str = TAB_RECEIVED,
    filters: InboxFilters | None = None,
    sort: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> InboxPage:
    """One page of the inbox in two queries (rows + capped count), whatever the size."""
    filters = filters or InboxFilters()
    queryset, sort = inbox_queryset(actor=actor, tab=tab, filters=filters, sort=sort)
    page = min(max(1, page), MAX_PAGE)
    offset = (page - 1) * page_size
    rows = list(_without_joins(queryset).only(*ROW_FIELDS)[offset : offset + page_size + 1])
    has_next = len(rows) > page_size
    cap = SEARCH_COUNT_CAP if filters.q else COUNT_CAP
    count = capped_count(queryset, cap)
    # Past the cap (a deep page) the count says "more than"; the pager still goes on.
    last = min(MAX_PAGE, max(-(-min(count, cap) // page_size), page + 1 if has_next else 0) or 1)
    window = list(range(max(1, page - 2), min(last, page + 2) + 1))
    return InboxPage(
        rows=rows[:page_size],
        number=page,
        has_next=has_next,
        count=min(count, cap),
        capped=count > cap,
        sort=sort,
        pages=window,
    )


def dead_deliveries(*, actor: Actor) -> QuerySet[Delivery]:
    """Dead deliveries the actor's Unimed may redeliver (it sent them or should have
    received them — the rule of protocols.outbox.services.delivery_redeliver), on
    protocols it sees."""
    queryset = deliveries_visible(actor=actor).filter(status=DeliveryStatus.DEAD)
    if not actor.sees_all_unimeds:
        queryset = queryset.filter(protocol__in=protocols_visible(actor=actor).values("pk"))
    return queryset.select_related("protocol", "unimed", "event").order_by("-created_at", "-id")


def protocol_deliveries(*, actor: Actor, protocol: Protocol) -> QuerySet[Delivery]:
    """The protocol's deliveries the actor's Unimed took part in (as sender or receiver)."""
    queryset = (
        Delivery.objects.filter(protocol=protocol)
        .select_related("unimed")
        .order_by("created_at", "id")
    )
    if actor.unimed is not None:
        queryset = queryset.filter(Q(unimed=actor.unimed) | Q(sender_unimed=actor.unimed))
    return queryset


OWNERS_CACHE_SECONDS = 300


def _owners_key(unimed_id: int) -> str:
    return f"protocols:panel:owners:{unimed_id}"


def owner_names(unimed_id: int | None, *, fresh: bool = False) -> dict[int, str]:
    """{user id: name} of the people who may own the Unimed's protocols (cached: the
    inbox shows and filters by them on every page). `fresh` reads again (someone new)."""
    if unimed_id is None:
        return {}

    def read() -> dict[int, str]:
        people = members_at_level(unimed_by_id(unimed_id), Module.PROTOCOLOS, Level.OPERAR)
        return {p.pk: p.get_full_name() or p.get_username() for p in people}

    if fresh:
        names = read()
        cache.set(_owners_key(unimed_id), names, OWNERS_CACHE_SECONDS)
        return names
    return cache.get_or_set(_owners_key(unimed_id), read, OWNERS_CACHE_SECONDS)


# Actions the panel has no button for (admin/API only): none today.
_NOT_IN_PANEL: frozenset[str] = frozenset()


def protocol_actions(*, actor: Actor, protocol: Protocol) -> frozenset[str]:
    """The actions the panel offers this actor on this protocol now: the services' own
    rules (protocols.selectors.protocol_allowed_actions), less what has no button."""
    allowed = protocol_allowed_actions(actor=actor, protocol=protocol) - _NOT_IN_PANEL
    if actor.unimed is None:
        allowed -= {"note", "complement"}  # notes and complements belong to a Unimed
    return allowed
