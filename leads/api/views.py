"""Leads API for integrated Unimeds: their leads, market reservations, contract loads."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CursorPagination, ErrorSerializer
from leads import selectors, services
from leads.api.serializers import (
    ContractsInputSerializer,
    ContractsReportSerializer,
    LeadDetailSerializer,
    LeadFilterSerializer,
    LeadSerializer,
    ReservationInputSerializer,
    ReservationReleaseInputSerializer,
    ReservationSerializer,
)
from unimeds.api.permissions import api_actor

ERROR_EXAMPLE = {
    "id_identificador": 2,
    "id_erro": 1001,
    "codigo": "dados_invalidos",
    "mensagem": "CNPJ inválido: dígito verificador não confere.",
    "campos": {"documento": ["CNPJ inválido: dígito verificador não confere."]},
}
CONFLICT_EXAMPLE = {
    "id_identificador": 2,
    "id_erro": 4010,
    "codigo": "reserva_existente",
    "mensagem": "Este cliente já tem reserva de mercado ativa da Unimed 0137 até 01/11/2026.",
    "campos": {},
}
RESERVATION_EXAMPLE = {
    "id": 7,
    "tipo_documento": "cnpj",
    "documento": "12ABC34501DE35",
    "cd_unimed": "0025",
    "vendedor": "vendedor.0025",
    "lead_id": None,
    "inicio": "2026-08-03T09:00:00-03:00",
    "expira_em": "2026-11-01T09:00:00-03:00",
    "renovacoes": 0,
    "renovacoes_restantes": 2,
    "situacao": "ativa",
}


ERROR = ErrorSerializer
ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}


class LeadCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "limite"
    max_page_size = 200
    cursor_query_param = "cursor"


class LeadListView(ListAPIView):
    """Leads of the token's Unimed, newest first, cursor-paginated."""

    serializer_class = LeadSerializer
    pagination_class = LeadCursorPagination
    filter_backends: list = []

    def get_queryset(self):
        params = LeadFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        mapping = {"situacao": "status", "origem": "source", "equipe": "team"}
        filters = {mapping[k]: v for k, v in params.validated_data.items()}
        return selectors.lead_list(actor=api_actor(self.request), filters=filters)

    @extend_schema(
        summary="Leads da Unimed do token",
        parameters=[
            OpenApiParameter(
                "situacao",
                str,
                enum=["novo", "em_contato", "cotacao", "proposta", "ganho", "perdido"],
            ),
            OpenApiParameter("origem", str, enum=["portal", "vendedor", "integracao"]),
            OpenApiParameter("equipe", str, enum=["vendas", "relacionamento"]),
            OpenApiParameter("limite", int, description="Itens por página (até 200)"),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class LeadDetailView(APIView):
    @extend_schema(
        summary="Um lead, com a linha do tempo", responses={200: LeadDetailSerializer, 404: ERROR}
    )
    def get(self, request, lead_id: int):
        lead = selectors.lead_get(actor=api_actor(request), lead_id=lead_id)
        lead.timeline = list(selectors.lead_events(lead=lead))
        return Response(LeadDetailSerializer(lead).data)


class ReservationCreateView(APIView):
    @extend_schema(
        summary="Reservas de mercado ativas da Unimed do token",
        responses={200: ReservationSerializer(many=True)},
    )
    def get(self, request):
        reservations = selectors.reservation_list(actor=api_actor(request))
        return Response(ReservationSerializer(reservations, many=True).data)

    @extend_schema(
        summary="Reservar um cliente (CPF/CNPJ) para um vendedor",
        description="Uma reserva ativa por documento em toda a rede. Conflito → 409 com a Unimed que "
        "detém a reserva e até quando (nunca os dados do vendedor).",
        request=ReservationInputSerializer,
        responses={201: ReservationSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Pedido",
                request_only=True,
                value={"documento": "12.ABC.345/01DE-35", "vendedor": "vendedor.0025"},
            ),
            OpenApiExample(
                "Reserva criada",
                response_only=True,
                status_codes=["201"],
                value=RESERVATION_EXAMPLE,
            ),
            OpenApiExample(
                "Já reservado", response_only=True, status_codes=["409"], value=CONFLICT_EXAMPLE
            ),
            OpenApiExample(
                "Documento inválido", response_only=True, status_codes=["400"], value=ERROR_EXAMPLE
            ),
        ],
    )
    def post(self, request):
        data = ReservationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reservation = services.reservation_reserve(
            actor=api_actor(request),
            document=data.validated_data["documento"],
            seller=data.validated_data["vendedor"],
        )
        return Response(ReservationSerializer(reservation).data, status=status.HTTP_201_CREATED)


class ReservationRenewView(APIView):
    @extend_schema(
        summary="Renovar uma reserva de mercado",
        request=None,
        responses={200: ReservationSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Limite atingido",
                response_only=True,
                status_codes=["409"],
                value={
                    "id_identificador": 2,
                    "id_erro": 4013,
                    "codigo": "limite_renovacoes",
                    "mensagem": "Limite de 2 renovação(ões) atingido para esta reserva.",
                    "campos": {},
                },
            )
        ],
    )
    def post(self, request, reservation_id: int):
        reservation = services.reservation_renew(
            actor=api_actor(request), reservation_id=reservation_id
        )
        return Response(ReservationSerializer(reservation).data)


class ReservationReleaseView(APIView):
    @extend_schema(
        summary="Liberar uma reserva de mercado",
        request=ReservationReleaseInputSerializer,
        responses={200: ReservationSerializer, **ERRORS},
    )
    def post(self, request, reservation_id: int):
        data = ReservationReleaseInputSerializer(data=request.data or {})
        data.is_valid(raise_exception=True)
        reservation = services.reservation_release(
            actor=api_actor(request),
            reservation_id=reservation_id,
            reason=data.validated_data["motivo"],
        )
        return Response(ReservationSerializer(reservation).data)


class ContractsLoadView(APIView):
    @extend_schema(
        summary="Carregar contratos ativos da Unimed do token",
        description="Cria ou atualiza contratos (chave: nr_contrato). Cada linha é tratada sozinha: "
        "as válidas são gravadas e as inválidas voltam no relatório com o motivo.",
        request=ContractsInputSerializer,
        responses={200: ContractsReportSerializer, 400: ERROR},
        examples=[
            OpenApiExample(
                "Pedido",
                request_only=True,
                value={
                    "contratos": [
                        {
                            "documento": "11.222.333/0001-81",
                            "nr_contrato": "EMP-2024-001",
                            "dt_inicio": "2024-03-01",
                            "ativo": True,
                        }
                    ]
                },
            ),
            OpenApiExample(
                "Relatório",
                response_only=True,
                status_codes=["200"],
                value={
                    "criados": 1,
                    "atualizados": 0,
                    "erros": 1,
                    "linhas": [
                        {
                            "linha": 1,
                            "situacao": "criado",
                            "mensagem": "Contrato EMP-2024-001 criado.",
                        },
                        {
                            "linha": 2,
                            "situacao": "erro",
                            "mensagem": "documento: CNPJ inválido: dígito verificador não confere.",
                        },
                    ],
                },
            ),
        ],
    )
    def post(self, request):
        data = ContractsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = api_actor(request)
        rows = [(n, dict(row)) for n, row in enumerate(data.validated_data["contratos"], start=1)]
        results = services.contracts_load(actor=actor, rows=rows, unimed=actor.unimed)
        report = {
            "criados": sum(r.status == "criado" for r in results),
            "atualizados": sum(r.status == "atualizado" for r in results),
            "erros": sum(r.status == "erro" for r in results),
            "linhas": results,
        }
        return Response(ContractsReportSerializer(report).data)
