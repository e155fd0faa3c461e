"""Protocol page: requester, timeline with deliveries, attachments, deadline and the
actions the actor may take, each posted to one view that calls the service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.services import audit_record
from protocols.models import AnswerPreference, Protocol
from protocols.outbox.services import delivery_redeliver
from protocols.panel.forms import (
    AnswerForm,
    AssignForm,
    AssumeForm,
    CloseForm,
    ComplementForm,
    ForwardForm,
    NoteForm,
    ReasonForm,
    ReclassifyForm,
    show_domain_error,
)
from protocols.panel.inbox import may_see_dead_deliveries
from protocols.panel.selectors import protocol_actions, protocol_deliveries
from protocols.panel.workdesk import protocol_page_extras
from protocols.selectors import protocol_get, protocol_timeline, protocols_visible
from protocols.services import (
    protocol_answer,
    protocol_assign,
    protocol_assume,
    protocol_cancel,
    protocol_close,
    protocol_complement,
    protocol_forward,
    protocol_note,
    protocol_reclassify,
    protocol_recompute_deadline,
    protocol_reopen,
)
from protocols.services.assignment import assignable_people
from reports import cpf_for
from unimeds.access import staff_required
from unimeds.models import Level, Module
from unimeds.selectors import municipality_get


def _answer(actor, protocol, data):
    return protocol_answer(
        actor=actor,
        protocol=protocol,
        message=data["message"],
        conclusive=data["conclusive"],
        attachments=data.get("attachments") or [],
    )


# action → (form class, service call, success message). Forms are rendered in this order.
ACTION_HANDLERS = {
    "assume": (
        AssumeForm,
        lambda a, p, d: protocol_assume(actor=a, protocol=p),
        "Protocolo assumido: agora está com você.",
    ),
    "assign": (
        AssignForm,
        lambda a, p, d: protocol_assign(
            actor=a, protocol=p, owner_id=d["owner_id"], note=d.get("note", "")
        ),
        "Protocolo atribuído.",
    ),
    "answer": (AnswerForm, _answer, "Resposta registrada."),
    "note": (
        NoteForm,
        lambda a, p, d: protocol_note(
            actor=a, protocol=p, message=d["message"], attachments=d.get("attachments") or []
        ),
        "Nota interna registrada.",
    ),
    "complement": (
        ComplementForm,
        lambda a, p, d: protocol_complement(
            actor=a, protocol=p, message=d["message"], attachments=d.get("attachments") or []
        ),
        "Complemento registrado.",
    ),
    "forward": (
        ForwardForm,
        lambda a, p, d: protocol_forward(
            actor=a, protocol=p, to_unimed_code=d["to_unimed_code"], reason=d["reason"]
        ),
        "Protocolo encaminhado.",
    ),
    "cancel": (
        ReasonForm,
        lambda a, p, d: protocol_cancel(actor=a, protocol=p, reason=d["reason"]),
        "Protocolo cancelado.",
    ),
    "close": (
        CloseForm,
        lambda a, p, d: protocol_close(actor=a, protocol=p, message=d.get("message", "")),
        "Protocolo encerrado.",
    ),
    "reopen": (
        ReasonForm,
        lambda a, p, d: protocol_reopen(actor=a, protocol=p, reason=d["reason"]),
        "Protocolo reaberto para reanálise.",
    ),
    "reclassify": (
        ReclassifyForm,
        lambda a, p, d: protocol_reclassify(
            actor=a,
            protocol=p,
            manifestation_type=d["manifestation_type"],
            category=d["category"],
            reason=d["reason"],
        ),
        "Protocolo reclassificado; o prazo segue a regra da nova categoria.",
    ),
    "recompute_deadline": (
        ReasonForm,
        lambda a, p, d: protocol_recompute_deadline(actor=a, protocol=p, reason=d["reason"]),
        "Prazo recalculado com a regra e o calendário atuais (se mudou, está na linha do tempo).",
    ),
}
TITLES = {
    "assume": "Assumir",
    "assign": "Atribuir a um colega",
    "answer": "Responder",
    "note": "Nota interna",
    "complement": "Complementar",
    "forward": "Encaminhar",
    "cancel": "Cancelar",
    "close": "Encerrar",
    "reopen": "Reabrir (reanálise)",
    "reclassify": "Reclassificar",
    "recompute_deadline": "Recalcular prazo",
}


def _offered(actions: frozenset[str]) -> list[str]:
    """Panel actions from the service-level ones ("answer" covers partial and conclusive)."""
    names = set(actions)
    if "answer_partial" in names:
        names.add("answer")
    return [name for name in ACTION_HANDLERS if name in names]


def _build_form(action: str, protocol: Protocol, data=None, files=None):
    form_class = ACTION_HANDLERS[action][0]
    kwargs = {"prefix": action}
    if form_class is ForwardForm:
        kwargs["exclude_code"] = protocol.responsible_unimed.code
    if form_class is AssignForm:
        kwargs["people"] = [
            p for p in assignable_people(protocol.responsible_unimed) if p.pk != protocol.owner_id
        ]
    return form_class(data, files, **kwargs)


def _context(request, protocol: Protocol, bound: dict | None = None) -> dict:
    actor = request.actor
    actions = protocol_actions(actor=actor, protocol=protocol)
    offered = _offered(actions)
    if "answer" in offered and "answer" not in actions:
        offered.remove(
            "answer"
        )  # only the partial answer is possible: keep the form, limit the choice
    forms = [
        (name, TITLES[name], (bound or {}).get(name) or _build_form(name, protocol))
        for name in offered
        if name != "assume"  # a button on the "Atribuído a" card (_owner_card.html)
    ]
    for name, _title, form in forms:
        if name == "answer" and "answer" not in actions:
            form.fields["conclusive"].choices = [("0", "Parcial — em análise (o prazo continua)")]
            form.fields["conclusive"].initial = "0"
    events = list(protocol_timeline(actor=actor, protocol=protocol))
    deliveries: dict[int, list] = {}
    for delivery in protocol_deliveries(actor=actor, protocol=protocol):
        deliveries.setdefault(delivery.event_id, []).append(delivery)
    timeline = [(event, deliveries.get(event.pk, [])) for event in events]
    attachments = [a for event in events for a in event.attachments.all()]
    city = municipality_get(protocol.city_code) if protocol.city_code else None
    return {
        "protocol": protocol,
        "timeline": timeline,
        "attachments": attachments,
        "forms": forms,
        "cpf": cpf_for(actor, protocol.requester_cpf),
        "city": city,
        # A link only to a previous protocol this actor may open: whether the number exists
        # elsewhere in the network must not show (issue #16), only what the actor already sees.
        "previous_link": bool(protocol.previous_id)
        and protocols_visible(actor=actor).filter(pk=protocol.previous_id).exists(),
        "may_redeliver": may_see_dead_deliveries(actor),
        "wants_email": protocol.answer_preference == AnswerPreference.EMAIL,
        "owner_actions": actions,
        **protocol_page_extras(actor, protocol),
    }


def _audit_view(actor, protocol: Protocol) -> None:
    # LGPD: every view of the requester's data is recorded (who, when, which protocol).
    audit_record(
        actor=actor,
        action="protocolo.visualizado",
        target_type="Protocol",
        target_id=protocol.pk,
        data={"numero": protocol.number},
    )


@staff_required(Module.PROTOCOLOS)
def protocol_detail(request, number: str):
    protocol = protocol_get(actor=request.actor, number=number)
    _audit_view(request.actor, protocol)
    return render(request, "protocols/detail.html", _context(request, protocol))


@require_POST
@staff_required(Module.PROTOCOLOS, Level.OPERAR)
def protocol_action(request, number: str, action: str):
    actor = request.actor
    protocol = protocol_get(actor=actor, number=number)
    if action not in ACTION_HANDLERS:
        raise PermissionDenied("Ação desconhecida.")
    actions = protocol_actions(actor=actor, protocol=protocol)
    if action not in _offered(actions):
        raise PermissionDenied("Esta ação não está disponível para você neste protocolo.")
    form = _build_form(action, protocol, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        if action == "answer" and data["conclusive"] and "answer" not in actions:
            raise PermissionDenied("A resposta conclusiva não está disponível neste protocolo.")
        try:
            ACTION_HANDLERS[action][1](actor, protocol, data)
        except DomainError as exc:
            show_domain_error(form, exc)
            status = exc.status
            if action == "assume":  # its button has no form to show the refusal beside
                messages.error(request, exc.message)
        else:
            messages.success(request, ACTION_HANDLERS[action][2])
            return redirect("protocols:detail", number=protocol.number)
    protocol = protocol_get(actor=actor, number=number)  # the service may have changed it meanwhile
    _audit_view(actor, protocol)
    context = _context(request, protocol, bound={action: form})
    context["open_action"] = action
    return render(request, "protocols/detail.html", context, status=status)


@require_POST
@staff_required(Module.PROTOCOLOS, Level.OPERAR)
def delivery_redeliver_view(request, delivery_id: int):
    if not may_see_dead_deliveries(request.actor):
        raise PermissionDenied("Somente supervisores reenviam entregas.")
    try:
        delivery = delivery_redeliver(actor=request.actor, delivery_id=delivery_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Entrega para a Unimed {delivery.unimed.code} colocada de novo na fila."
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=False
    ):
        target = "/painel/protocolos/?aba=entregas"
    return redirect(target)
