"""Inbox rows built in Python: the same markup the template would produce, without
the template engine's per-variable cost on the busiest page of the panel."""

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core.labels import status_badge_html
from protocols.models import Channel, Status
from protocols.panel.selectors import TAB_SENT, ids_by_code, owner_names
from protocols.templatetags.protocols_panel import deadline_badge
from reports import cpf_for

# Every {} below is either markup built here or a value passed through html.escape
# (the same escaping as Django's, without its per-call lazy-string checks: 25 rows
# × 10 values are a good part of the page's time).
ROW = (
    '<tr{mark}><td class="bulk-cell" data-label=""><input class="form-check-input bulk-check" type="checkbox" '
    'name="protocolos" value="{number}" form="lote" aria-label="Selecionar {number}"></td>'
    '<td data-label="Número"><a class="font-monospace text-nowrap protocol-link" href="{base}{number}/">{number}</a>'
    # Phones show one column of facts under the number instead of a wide table.
    '<div class="small text-muted d-md-none">{type}<br>{status} · prazo {due} {badge}</div></td>'
    '<td data-label="Solicitante">{name}{cpf}</td>'
    '<td class="d-none d-md-table-cell" data-label="Tipo">{type}<div class="small text-muted">{channel}{party}</div></td>'
    '<td class="d-none d-md-table-cell" data-label="Situação">{status}</td>'
    '<td class="d-none d-md-table-cell owner-cell" data-label="Atribuído a">{owner}</td>'
    '<td class="d-none d-md-table-cell text-nowrap" data-label="Aberto em">{opened}</td>'
    '<td class="d-none d-md-table-cell text-nowrap" data-label="Prazo">{due}<div>{badge}</div></td></tr>'
)
CPF = '<div class="small text-muted text-nowrap">{}</div>'


def inbox_rows(rows, *, actor, today, tab: str, owners: dict | None = None) -> SafeString:
    """The rows' markup. `owners`: the actor's Unimed's owner names when the caller has
    them already (owner_names; the inbox reads them for its filter), so they are not read
    from the cache again."""
    base = escape(reverse("protocols:inbox"))
    # Translated labels once per page, not once per row (lazy gettext is not free).
    statuses = {value: str(label) for value, label in Status.choices}
    channels = {value: escape(str(label)) for value, label in Channel.choices}
    names = ids_by_code()
    unimed = actor.unimed
    known_owners: dict[int | None, dict] = {}
    if owners is not None and actor.unimed_id is not None:
        known_owners[actor.unimed_id] = owners
    types, codes = names["type_names"], names["unimed_codes"]
    status_badges: dict[str, str] = {}
    out = []
    for p in rows:
        cpf = cpf_for(actor, p.requester_cpf)
        if tab == TAB_SENT:
            party = f" · para {codes.get(p.responsible_unimed_id, '')}"
        else:
            party = f" · de {codes.get(p.origin_unimed_id, '')}" if p.origin_unimed_id else ""
        owner = ""
        if p.owner_id:
            known = known_owners.get(p.responsible_unimed_id)
            if known is None:
                known = known_owners[p.responsible_unimed_id] = owner_names(p.responsible_unimed_id)
            if p.owner_id not in known:  # someone new since the names were cached
                known = known_owners[p.responsible_unimed_id] = owner_names(
                    p.responsible_unimed_id, fresh=True
                )
            owner = escape(known.get(p.owner_id, "—"))
        status = status_badges.get(p.status)
        if status is None:
            status = status_badges[p.status] = status_badge_html(
                "protocolo", p.status, statuses.get(p.status, p.status)
            )
        out.append(
            ROW.format(
                base=base,
                number=escape(p.number),
                type=escape(types.get(p.manifestation_type_id, "")),
                status=status,
                due=p.due_date.strftime("%d/%m/%Y"),
                badge=deadline_badge(p, today, unimed),
                owner=owner or '<span class="text-muted">—</span>',
                mark=' class="table-danger"' if p.is_escalated else "",
                name=escape(p.requester_name),
                cpf=CPF.format(escape(cpf)) if cpf else "",
                channel=channels.get(p.channel) or escape(p.channel),
                party=escape(party),
                opened=timezone.localtime(p.opened_at).strftime("%d/%m/%Y %H:%M"),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 — every value went through escape() above
