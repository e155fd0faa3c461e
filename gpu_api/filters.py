"""Filters of GET /api/v1/protocolos/ (django-filter), applied over the selector's scope."""

from django_filters import rest_framework as filters

from protocols.models import Channel, Protocol, Status
from protocols.numbering import local_day
from unimeds.api.permissions import api_actor


class ProtocolFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(
        choices=Status.choices, help_text="Situação (repita para várias)"
    )
    direcao = filters.ChoiceFilter(
        choices=[
            ("recebidos", "Recebidos (a Unimed é a responsável)"),
            ("enviados", "Enviados (a Unimed abriu)"),
        ],
        method="filter_direction",
        help_text="recebidos ou enviados",
    )
    aberto_de = filters.DateFilter(
        field_name="opened_on", lookup_expr="gte", help_text="AAAA-MM-DD"
    )
    aberto_ate = filters.DateFilter(
        field_name="opened_on", lookup_expr="lte", help_text="AAAA-MM-DD"
    )
    tp_manifestacao = filters.CharFilter(
        field_name="manifestation_type__code", help_text="Tipo (1 caractere)"
    )
    tp_categoria_manifestacao = filters.NumberFilter(field_name="category__code")
    tp_cliente = filters.ChoiceFilter(
        field_name="channel", choices=Channel.choices, help_text="Canal"
    )
    atrasado = filters.BooleanFilter(
        method="filter_overdue", help_text="true: em aberto e com prazo vencido"
    )
    cd_uni_responsavel = filters.CharFilter(field_name="responsible_unimed__code")

    class Meta:
        model = Protocol
        fields: list[str] = []

    def filter_direction(self, queryset, name, value):
        unimed = api_actor(self.request).unimed
        if value == "recebidos":
            return queryset.filter(responsible_unimed=unimed)
        return queryset.filter(origin_unimed=unimed)

    def filter_overdue(self, queryset, name, value):
        from protocols.models import OPEN_STATUSES

        late = {"status__in": list(OPEN_STATUSES), "due_date__lt": local_day()}
        return queryset.filter(**late) if value else queryset.exclude(**late)
