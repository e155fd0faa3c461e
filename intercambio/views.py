"""Panel pages of the intercâmbio registry: the sharings the staff's Unimed takes part in.

Contingency Unimeds have no API client, so this is where their staff see which
beneficiaries they answer for and why; supervisors may end a sharing.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import apply_domain_error
from core.identifiers import format_cpf, mask_cpf, pseudonym
from core.services import audit_record
from intercambio import selectors
from intercambio.forms import EndSharingForm, SharingFilterForm
from intercambio.services import risk_sharing_end, risk_sharing_pending_decide
from unimeds.access import staff_required
from unimeds.models import Level, Module


@staff_required(Module.PROTOCOLOS)
def sharing_list(request):
    form = SharingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sharings = selectors.risk_sharings_for(
        actor=request.actor,
        card=filters.get("carteirinha", ""),
        sharing_type=filters.get("tipo", ""),
        only_active=filters.get("ativos", False),
    )
    page = Paginator(sharings, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request, "intercambio/lista.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def _detail(request, card: str, *, end_form=None, status: int = 200):
    actor = request.actor
    sharing = selectors.risk_sharing_get(actor=actor, card=card)
    history = selectors.risk_sharing_history(actor=actor, card=card)
    audit_record(
        actor=actor,
        action="compartilhamento_risco.consultado",
        target_type="RiskSharing",
        target_id=sharing.pk,
        data={"carteirinha": pseudonym(card), "canal": "painel"},
    )
    return render(
        request,
        "intercambio/detalhe.html",
        {
            "sharing": sharing,
            "history": history,
            "responsible": selectors.responsible_for_card(card),
            "cpf_shown": format_cpf(sharing.cpf) if actor.may_see_cpf else mask_cpf(sharing.cpf),
            "may_end": actor.may(Module.PROTOCOLOS, Level.ADMINISTRAR),
            "end_form": end_form or EndSharingForm(),
        },
        status=status,
    )


@staff_required(Module.PROTOCOLOS)
def sharing_detail(request, card: str):
    return _detail(request, card)


@require_POST
@staff_required(Module.PROTOCOLOS, Level.ADMINISTRAR)
def sharing_end(request, card: str):
    sharing = selectors.risk_sharing_get(actor=request.actor, card=card)
    form = EndSharingForm(request.POST)
    if form.is_valid():
        try:
            risk_sharing_end(
                actor=request.actor,
                sharing_id=sharing.pk,
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"Compartilhamento da carteirinha {card} encerrado.")
            return redirect("intercambio:detail", card=card)
    return _detail(request, card, end_form=form, status=400)


@staff_required(Module.PROTOCOLOS)
def pending_list(request):
    """Registrations of our beneficiaries sent by a Unimed that neither holds the card nor
    acts for us: nothing changes in routing until we confirm."""
    pending = selectors.pending_for(actor=request.actor)[:200]
    return render(
        request,
        "intercambio/pendentes.html",
        {
            "pending": pending,
            "may_decide": request.actor.may(Module.PROTOCOLOS, Level.ADMINISTRAR),
        },
    )


@require_POST
@staff_required(Module.PROTOCOLOS, Level.ADMINISTRAR)
def pending_decide(request, pending_id: int):
    decision = request.POST.get("decisao")
    selectors.pending_get(actor=request.actor, pending_id=pending_id)  # another Unimed's: 404
    if decision not in ("confirmar", "recusar"):
        messages.error(request, "Escolha confirmar ou recusar.")
        return redirect("intercambio:pending")
    try:
        pending = risk_sharing_pending_decide(
            actor=request.actor,
            pending_id=pending_id,
            confirm=decision == "confirmar",
            note=request.POST.get("nota", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Registro da carteirinha {pending.card} "
            + (
                "confirmado: passa a valer no atendimento."
                if decision == "confirmar"
                else "recusado: nada mudou no atendimento."
            ),
        )
    return redirect("intercambio:pending")
