"""Inbox: tabs, filters, search, sort and pages; the table alone for htmx requests."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from core.services import audit_record
from protocols.numbering import local_day
from protocols.panel.bulk import bulk_context
from protocols.panel.forms import InboxFilterForm
from protocols.panel.rows import inbox_rows
from protocols.panel.selectors import (
    SORTS,
    TAB_DEAD,
    TAB_DUE_SOON,
    TAB_MINE,
    TAB_OVERDUE,
    TAB_RECEIVED,
    TAB_SENT,
    dead_deliveries,
    inbox_page,
    owner_names,
    regulatory_open,
)
from protocols.panel.workdesk import inbox_tools
from unimeds.access import staff_required
from unimeds.models import Module

TAB_LABELS = {
    TAB_MINE: "Meus",
    TAB_RECEIVED: "Recebidos",
    TAB_SENT: "Enviados",
    TAB_DUE_SOON: "Vencendo",
    TAB_OVERDUE: "Vencidos",
    TAB_DEAD: "Entregas com falha",
}
COLUMNS = [
    (None, ""),  # the bulk selection's checkboxes (templates/protocols/_bulk_form.html)
    ("numero", "Número"),
    ("nome", "Solicitante"),
    (None, "Tipo"),
    ("situacao", "Situação"),
    (None, "Atribuído a"),
    ("abertura", "Aberto em"),
    ("prazo", "Prazo (tempo restante)"),
]


def may_see_dead_deliveries(actor) -> bool:
    return actor.may(Module.INTEGRACOES)


def _linker(request):
    """query(**changes) → the current query string with these parameters changed (None
    or "" drops one). A dozen links per page: the GET parameters are read once, not
    copied (a deep copy of the QueryDict) for each link."""
    current = {key: request.GET.getlist(key) for key in request.GET}

    def query(**changes) -> str:
        params = dict(current)
        if "pagina" not in changes:
            params.pop("pagina", None)  # a new filter or order starts again at page 1
        for key, value in changes.items():
            if value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = [str(value)]
        return urlencode([(key, value) for key, values in params.items() for value in values])

    return query


def _page_number(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 1


@staff_required(Module.PROTOCOLOS)
def inbox(request):
    actor = request.actor
    tab = request.GET.get("aba") or TAB_RECEIVED
    tabs = [
        t
        for t in TAB_LABELS
        if (t != TAB_DEAD or may_see_dead_deliveries(actor)) and (t != TAB_MINE or actor.unimed)
    ]
    if tab not in TAB_LABELS or (tab == TAB_MINE and TAB_MINE not in tabs):
        tab = TAB_RECEIVED
    if tab == TAB_DEAD:
        return _dead_deliveries(request, tabs)
    owners = owner_names(actor.unimed_id)
    form = InboxFilterForm(request.GET or None, owners=owners)
    result = inbox_page(
        actor=actor,
        tab=tab,
        filters=form.filters(),
        sort=request.GET.get("ordem", ""),
        page=_page_number(request.GET.get("pagina")),
    )
    # LGPD: who saw which requesters' names, and through what search — also an empty
    # result, since "no protocol for this CPF" is itself information about a person.
    audit_record(
        actor=actor,
        action="protocolos.listados",
        target_type="Protocol",
        target_id="lista",
        data={
            "aba": tab,
            "busca": bool(form.is_valid() and form.cleaned_data.get("q")),
            "pagina": result.number,
            "protocolos": [p.number for p in result.rows],
        },
    )
    current = result.sort.lstrip("-")
    link = _linker(request)
    headers = []
    for key, label in COLUMNS:
        if key is None:
            headers.append({"label": label})
            continue
        descending = result.sort.startswith("-")
        next_sort = (key if descending else f"-{key}") if key == current else key
        headers.append(
            {
                "label": label,
                "query": link(ordem=next_sort),
                "active": key == current,
                "descending": descending,
            }
        )
    context = {
        "rows_html": inbox_rows(
            result.rows, actor=actor, today=local_day(), tab=tab, owners=owners
        ),
        "form": form,
        "tab": tab,
        "tabs": [(t, TAB_LABELS[t], _tab_query(t)) for t in tabs],
        "page": result,
        "headers": headers,
        "sorts": SORTS,
        "previous_query": link(pagina=result.number - 1),
        "next_query": link(pagina=result.number + 1),
        "page_queries": [(n, link(pagina=n)) for n in result.pages],
        **bulk_context(actor, request, owners),
        **inbox_tools(request, tab),
        "regulatory": regulatory_open(actor=actor),
        "today": local_day(),
    }
    # Back/Forward asks for the whole page again (HX-History-Restore-Request, inbox.html):
    # only the table for the filter form's own requests.
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    template = "protocols/_inbox_table.html" if partial else "protocols/inbox.html"
    response = render(
        request, template, context, status=400 if form.is_bound and form.errors else 200
    )
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


def _tab_query(tab: str) -> str:
    params = QueryDict(mutable=True)
    params["aba"] = tab
    return params.urlencode()


def _dead_deliveries(request, tabs):
    actor = request.actor
    if not may_see_dead_deliveries(actor):
        raise PermissionDenied("Somente supervisores veem as entregas com falha.")
    page = _page_number(request.GET.get("pagina"))
    rows = list(dead_deliveries(actor=actor)[(page - 1) * 25 : page * 25 + 1])
    context = {
        "tab": TAB_DEAD,
        "tabs": [(t, TAB_LABELS[t], _tab_query(t)) for t in tabs],
        "deliveries": rows[:25],
        "has_next": len(rows) > 25,
        "page_number": page,
    }
    return render(request, "protocols/inbox_dead.html", context)
