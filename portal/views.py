"""Public portal pages: no sign-in, CSRF on every form, a honeypot, per-address
rate limits, and Post/Redirect/Get to a signed confirmation link."""

from collections.abc import Callable

from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError, NotFound
from core.identifiers import UF_CODES
from portal import forms, services
from portal.notifications import deadline_text, next_steps
from portal.ratelimit import client_ip, rate_limited
from portal.selectors import (
    MESSAGE_KINDS,
    confirmation_token,
    protocol_for_confirmation,
    public_events,
)
from protocols.models import Kind, Protocol
from unimeds.actors import Actor, portal_actor
from unimeds.selectors import municipalities_for_uf

LOAD_MUNICIPALITIES = "municipios"
Handler = Callable[[dict, Actor], Protocol]


def _actor(request) -> Actor:
    return portal_actor(ip=client_ip(request))


def _submission(request, form_class, template: str, handle: Handler, context: dict | None = None):
    """The shared flow of a portal form: honeypot → validation → service → redirect to
    the confirmation; on any error the form comes back with what the visitor typed."""
    form = form_class(request.POST) if request.method == "POST" else form_class()
    if request.method == "POST":
        if request.POST.get("_acao") == LOAD_MUNICIPALITIES:
            form._errors = ErrorDict()  # only refreshing the municipality list: no errors yet
        elif form.is_bot:
            return redirect("portal:received")
        elif form.is_valid():
            try:
                protocol = handle(form.cleaned_data, _actor(request))
            except DomainError as exc:
                forms.show_service_error(form, exc)
            else:
                return redirect("portal:confirmation", token=confirmation_token(protocol))
    return render(
        request, template, {"form": form, **(context or {})}, status=400 if form.errors else 200
    )


@require_GET
def home(request):
    return render(request, "portal/inicio.html")


@require_GET
def contact_choose(request):
    return render(request, "portal/fale_conosco.html")


def _open_non_client(data: dict, actor: Actor) -> Protocol:
    mtype, category = data["subject"]
    return services.portal_contact_open(
        actor=actor,
        kind=Kind.NAO_CLIENTE,
        name=data["name"],
        cpf=data["cpf"],
        email=data["email"],
        phone=data["phone"],
        municipality_code=data["municipality"],
        manifestation_type=mtype,
        category=category,
        answer_preference=data["answer_preference"],
        message=data["message"],
    )


def _open_beneficiary(data: dict, actor: Actor) -> Protocol:
    mtype, category = data["subject"]
    return services.portal_contact_open(
        actor=actor,
        kind=Kind.BENEFICIARIO,
        name=data["name"],
        cpf=data["cpf"],
        card=data["card"],
        email=data["email"],
        phone=data["phone"],
        manifestation_type=mtype,
        category=category,
        answer_preference=data["answer_preference"],
        message=data["message"],
    )


@require_http_methods(["GET", "POST"])
@rate_limited("contact")
def contact_non_client(request):
    return _submission(
        request,
        forms.ContactNonClientForm,
        "portal/contato_form.html",
        _open_non_client,
        {"path": "nao_cliente"},
    )


@require_http_methods(["GET", "POST"])
@rate_limited("contact")
def contact_beneficiary(request):
    return _submission(
        request,
        forms.ContactBeneficiaryForm,
        "portal/contato_form.html",
        _open_beneficiary,
        {"path": "beneficiario"},
    )


def _report_guia_medico(data: dict, actor: Actor) -> Protocol:
    return services.portal_guia_medico_report(
        actor=actor,
        provider_name=data["provider_name"],
        provider_code=data["provider_code"],
        wrong_items=data["wrong_items"],
        wrong_info=data["wrong_info"],
        right_info=data["right_info"],
        municipality_code=data["municipality"],
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        answer_preference=data["answer_preference"],
    )


@require_http_methods(["GET", "POST"])
@rate_limited("guia_medico")
def guia_medico(request):
    return _submission(
        request, forms.GuiaMedicoErrorForm, "portal/guia_medico_form.html", _report_guia_medico
    )


def _request_plan(data: dict, actor: Actor) -> Protocol:
    protocol, _lead = services.portal_plan_request(
        actor=actor,
        document=data["document"][1],
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        municipality_code=data["municipality"],
        lives=data["lives"],
        company_name=data["company_name"],
        current_plan=data["current_plan"],
        plan_type=data["plan_type"],
        message=data["message"],
    )
    return protocol


@require_http_methods(["GET", "POST"])
@rate_limited("plan")
def plan(request):
    return _submission(request, forms.PlanRequestForm, "portal/plano_form.html", _request_plan)


@require_GET
def confirmation(request, token: str):
    try:
        protocol = protocol_for_confirmation(token=token)
    except NotFound as exc:
        return render(request, "portal/erro.html", {"mensagem": exc.message}, status=404)
    return render(
        request,
        "portal/confirmacao.html",
        {
            "protocol": protocol,
            "deadline": deadline_text(protocol),
            "steps": next_steps(protocol),
        },
    )


@require_GET
def received(request):
    return render(request, "portal/enviado.html")


@require_http_methods(["GET", "POST"])
@rate_limited("lookup")
def lookup(request):
    form = forms.LookupForm(request.POST) if request.method == "POST" else forms.LookupForm()
    context: dict = {"form": form}
    if request.method == "POST" and not form.is_bot and form.is_valid():
        try:
            protocol = services.portal_protocol_lookup(
                actor=_actor(request),
                number=form.cleaned_data["number"],
                secret=form.cleaned_data["secret"],
            )
        except NotFound as exc:
            # The same words whether the number does not exist or the pair does not match.
            form.add_error(None, exc.message)
        except DomainError as exc:
            forms.show_service_error(form, exc)
        else:
            context.update(
                protocol=protocol,
                deadline=deadline_text(protocol),
                message_kinds=MESSAGE_KINDS,
                events=public_events(actor=_actor(request), protocol=protocol),
            )
    elif request.method == "POST" and form.is_bot:
        form.add_error(None, "Protocolo não encontrado para os dados informados.")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "portal/consulta.html", context, status=status)


@require_GET
def municipalities(request):
    """<option>s of a UF's municipalities for the htmx-driven select."""
    uf = request.GET.get("uf", "").strip().upper()
    cities = municipalities_for_uf(uf).only("code", "name") if uf in UF_CODES else []
    html = render_to_string("portal/_municipios.html", {"cities": cities, "uf": uf in UF_CODES})
    return HttpResponse(html)
