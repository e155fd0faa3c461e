"""Panel page /painel/integracoes/: the integration log for supervisors and gestores."""

import json

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from core.forms import BootstrapFormMixin
from core.models import IntegrationLog
from protocols.models import DeliveryStatus
from protocols.outbox.selectors import (
    LogFilters,
    delivery_counts,
    integration_log_list,
    integration_operations,
)
from protocols.panel.forms import DATE_FORMATS, DateInput
from unimeds.access import staff_required
from unimeds.models import Module

PAGE_SIZE = 50


class LogFilterForm(BootstrapFormMixin, forms.Form):
    direcao = forms.ChoiceField(
        label="Direção", required=False, choices=[("", "Todas"), *IntegrationLog.Direction.choices]
    )
    operacao = forms.ChoiceField(label="Operação", required=False)
    resultado = forms.ChoiceField(
        label="Resultado",
        required=False,
        choices=[("", "Todos"), ("ok", "Sucesso (2xx)"), ("erro", "Erro ou sem resposta")],
    )
    de = forms.DateField(
        label="De",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
    )
    ate = forms.DateField(
        label="Até",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
    )
    id_requisicao = forms.CharField(
        label="Id da requisição / entrega", required=False, max_length=64
    )

    def __init__(self, *args, operations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operacao"].choices = [("", "Todas"), *[(op, op) for op in operations]]

    def clean(self):
        data = super().clean()
        if data.get("de") and data.get("ate") and data["de"] > data["ate"]:
            self.add_error("ate", "A data final deve ser igual ou posterior à inicial.")
        return data


def _pretty(body) -> str:
    return "—" if body is None else json.dumps(body, ensure_ascii=False, indent=2)


@staff_required(Module.INTEGRACOES)
def integration_log(request):
    actor = request.actor
    form = LogFilterForm(request.GET or None, operations=integration_operations(actor=actor))
    filters = LogFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = LogFilters(
            direction=d["direcao"],
            operation=d["operacao"],
            outcome=d["resultado"],
            since=d["de"],
            until=d["ate"],
            request_id=d["id_requisicao"],
        )
    page = Paginator(integration_log_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    counts = delivery_counts(actor=actor)
    return render(
        request,
        "protocols/integracoes.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "rows": [(row, _pretty(row.request_body), _pretty(row.response_body)) for row in page],
            "counts": [
                (label, counts.get(value, 0), value) for value, label in DeliveryStatus.choices
            ],
            "dead": counts.get(DeliveryStatus.DEAD, 0),
        },
    )
