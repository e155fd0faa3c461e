"""Opening a protocol by hand (channel CONTINGENCIA) and the page that shows its number."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from core.errors import DomainError
from core.identifiers import normalize_uf
from protocols.models import Channel
from protocols.panel.forms import OpenProtocolForm, municipality_choices, show_domain_error
from protocols.panel.workdesk import related_initial
from protocols.selectors import protocol_get
from protocols.services import protocol_open
from unimeds.access import staff_required
from unimeds.models import Level, Module


@staff_required(Module.PROTOCOLOS, Level.OPERAR, allow_hub_admin=False)
def protocol_new(request):
    # "Abrir protocolo relacionado" on a protocol page: ?anterior=<number> prefills it.
    initial = related_initial(request.actor, request.GET.get("anterior"))
    form = OpenProtocolForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                protocol = protocol_open(
                    actor=request.actor, channel=Channel.CONTINGENCIA, **form.service_kwargs()
                )
            except DomainError as exc:
                show_domain_error(form, exc)
                status = exc.status
            else:
                return redirect("protocols:opened", number=protocol.number)
    return render(request, "protocols/novo.html", {"form": form}, status=status)


@staff_required(Module.PROTOCOLOS)
def protocol_opened(request, number: str):
    protocol = protocol_get(actor=request.actor, number=number)
    return render(request, "protocols/aberto.html", {"protocol": protocol})


@staff_required(Module.PROTOCOLOS)
def municipality_options(request):
    """htmx: the <option>s of the municipalities of a UF (unimeds.selectors)."""
    try:
        uf = normalize_uf(request.GET.get("uf", "")) if request.GET.get("uf") else ""
    except ValidationError:  # an unknown UF lists nothing
        uf = ""
    return render(request, "protocols/_municipios.html", {"choices": municipality_choices(uf)})
