"""Bulk actions from the inbox: the bar under the filters (templates/protocols/_bulk_form.html),
the confirmation with the count, the job page with its progress and per-protocol report,
and the Unimed's distribution rule (supervisors)."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from protocols.models import BulkAction
from protocols.panel.forms import BulkForm, DistributionForm, InboxFilterForm, show_domain_error
from protocols.panel.selectors import TAB_RECEIVED, inbox_queryset, owner_names
from protocols.services import protocol_bulk_get, protocol_bulk_request, protocol_settings_update
from protocols.services.assignment import assignable_people, rule_of
from protocols.services.bulk import BULK_MAX
from unimeds.access import staff_required
from unimeds.models import Level, Module

# What each action needs filled in besides the protocols (shown on the confirmation).
NEEDS = {
    BulkAction.ASSIGN: "owner_id",
    BulkAction.FORWARD: "to_unimed_code",
}


def _actions(actor) -> list:
    return [
        (value, label)
        for value, label in BulkAction.choices
        if value != BulkAction.ASSIGN or actor.may(Module.PROTOCOLOS, Level.ADMINISTRAR)
    ]


def bulk_context(actor, request, owners: dict) -> dict:
    """What the inbox needs to draw the bulk bar (empty for who cannot act)."""
    if actor.unimed is None or not actor.may(Module.PROTOCOLOS, Level.OPERAR):
        return {"bulk_form": None}
    people = [_Person(pk, name) for pk, name in sorted(owners.items(), key=lambda i: i[1])]
    return {
        "bulk_form": BulkForm(people=people, actions=_actions(actor), prefix="lote"),
        "distribution_form": DistributionForm(
            initial={"assignment_rule": rule_of(actor.unimed_id)}
        ),
        "bulk_filter": request.GET.urlencode(),
        "may_distribute": actor.may(Module.PROTOCOLOS, Level.ADMINISTRAR),
    }


class _Person:
    """A name from the cached owner map, shaped like a user for the choice lists."""

    def __init__(self, pk, name):
        self.pk, self._name = pk, name

    def get_full_name(self):
        return self._name

    def get_username(self):
        return self._name


def _numbers_matching(actor, filter_query: str) -> tuple[list[str], bool]:
    """(numbers, more than the cap) of the inbox tab and filters in `filter_query`."""
    params = QueryDict(filter_query or "")
    form = InboxFilterForm(params or None, owners=owner_names(actor.unimed_id))
    queryset, _sort = inbox_queryset(
        actor=actor,
        tab=params.get("aba") or TAB_RECEIVED,
        filters=form.filters(),
        sort=params.get("ordem", ""),
    )
    numbers = list(queryset.select_related(None).values_list("number", flat=True)[: BULK_MAX + 1])
    return numbers[:BULK_MAX], len(numbers) > BULK_MAX


@require_POST
@staff_required(Module.PROTOCOLOS, Level.OPERAR)
def bulk_start(request):
    """First POST: the confirmation (count, list, what will be done). With `confirmar`: the job."""
    actor = request.actor
    people = assignable_people(actor.unimed) if actor.unimed else []
    form = BulkForm(request.POST, people=people, actions=_actions(actor), prefix="lote")
    everything = request.POST.get("escopo") == "filtro"
    if everything:
        numbers, too_many = _numbers_matching(actor, request.POST.get("filtro", ""))
    else:
        numbers, too_many = request.POST.getlist("protocolos")[: BULK_MAX + 1], False
    context = {
        "form": form,
        "numbers": numbers,
        "everything": everything,
        "too_many": too_many or len(numbers) > BULK_MAX,
        "filter_query": request.POST.get("filtro", ""),
        "max": BULK_MAX,
    }
    if not form.is_valid() or not numbers or context["too_many"]:
        if not numbers:
            form.add_error(None, "Selecione ao menos um protocolo (ou todos os do filtro).")
        return render(request, "protocols/bulk_confirm.html", context, status=400)
    data = form.cleaned_data
    action = data["acao"]
    context["action_label"] = BulkAction(action).label
    context["target"] = (
        dict(form.fields[NEEDS[action]].choices).get(data[NEEDS[action]], "")
        if action in NEEDS
        else ""
    )
    if request.POST.get("confirmar") != "1":
        return render(request, "protocols/bulk_confirm.html", context)
    try:
        job = protocol_bulk_request(
            actor=actor,
            action=action,
            numbers=numbers,
            params={
                "owner_id": data.get("owner_id"),
                "to_unimed_code": data.get("to_unimed_code"),
                "message": data.get("message"),
            },
        )
    except DomainError as exc:
        show_domain_error(form, exc)
        return render(request, "protocols/bulk_confirm.html", context, status=exc.status)
    return redirect("protocols:bulk_job", job_id=job.pk)


@staff_required(Module.PROTOCOLOS, Level.OPERAR)
def bulk_job(request, job_id: int):
    job = protocol_bulk_get(actor=request.actor, job_id=job_id)
    template = (
        "protocols/_bulk_job_body.html"
        if request.htmx and not request.htmx.boosted
        else "protocols/bulk_job.html"
    )
    return render(request, template, {"job": job})


@require_POST
@staff_required(Module.PROTOCOLOS, Level.ADMINISTRAR)
def distribution(request):
    form = DistributionForm(request.POST)
    if form.is_valid():
        try:
            protocol_settings_update(
                actor=request.actor, assignment_rule=form.cleaned_data["assignment_rule"] or ""
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Regra de distribuição salva.")
    else:
        messages.error(request, "Regra de distribuição desconhecida.")
    return redirect("protocols:inbox")
