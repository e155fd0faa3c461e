"""Regulatório API for integrated Unimeds: register a demand ANS notified (idempotent on
the ANS number per Unimed) and read their demands."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CursorPagination, ErrorSerializer
from core.errors import DomainError
from regulatorio import selectors, services
from regulatorio.api.serializers import (
    WIRE_FIELDS,
    DemandCreatedSerializer,
    DemandFilterSerializer,
    DemandInputSerializer,
    DemandSerializer,
)
from unimeds.api.permissions import api_actor

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class DemandPagination(CursorPagination):
    ordering = ("due_date", "id")
    page_size = 50
    page_size_query_param = "limite"
    max_page_size = 200
    cursor_query_param = "cursor"


def _wire(exc: DomainError) -> DomainError:
    exc.fields = {WIRE_FIELDS.get(k, k): v for k, v in exc.fields.items()}
    return exc


class DemandListCreateView(ListAPIView):
    serializer_class = DemandSerializer
    pagination_class = DemandPagination
    filter_backends: list = []

    def get_queryset(self):
        params = DemandFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = selectors.DemandFilters(
            kind=data.get("tipo", ""),
            status=data.get("situacao", ""),
            ans_number=data.get("numero_ans", ""),
            due=data.get("prazo", ""),
            notified_from=data.get("notificada_de"),
            notified_to=data.get("notificada_ate"),
        )
        return selectors.demand_list(actor=api_actor(self.request), filters=filters)

    @extend_schema(
        summary="Demandas regulatórias da Unimed do token, por prazo legal",
        parameters=[
            OpenApiParameter(
                "tipo", str, enum=["nip_assistencial", "nip_nao_assistencial", "persus_abi"]
            ),
            OpenApiParameter("situacao", str),
            OpenApiParameter("numero_ans", str),
            OpenApiParameter("prazo", str, enum=["hoje", "dois_dias", "vencidas", "abertas"]),
            OpenApiParameter("notificada_de", str, description="AAAA-MM-DD"),
            OpenApiParameter("notificada_ate", str, description="AAAA-MM-DD"),
            OpenApiParameter("limite", int),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Registrar uma demanda da ANS (NIP ou PERSUS)",
        description="Idempotente pelo número ANS por Unimed: a repetição com os mesmos dados "
        "responde 201 com a mesma demanda; outros dados com o mesmo número → 409.",
        request=DemandInputSerializer,
        responses={201: DemandCreatedSerializer, **ERRORS},
    )
    def post(self, request):
        data = DemandInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            demand, _created = services.demand_register(
                actor=api_actor(request),
                kind=values["tipo"],
                ans_number=values["numero_ans"],
                notified_on=values["dt_notificacao"],
                card=values["carteirinha"],
                beneficiary_name=values["nome_beneficiario"],
                description=values["descricao"],
            )
        except DomainError as exc:
            raise _wire(exc) from None
        return Response(DemandCreatedSerializer(demand).data, status=status.HTTP_201_CREATED)


class DemandDetailView(APIView):
    @extend_schema(
        summary="Uma demanda regulatória", responses={200: DemandSerializer, 404: ErrorSerializer}
    )
    def get(self, request, demand_id: int):
        demand = selectors.demand_get(actor=api_actor(request), demand_id=demand_id)
        return Response(DemandSerializer(demand).data)
