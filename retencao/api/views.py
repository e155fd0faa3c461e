"""Retention API for integrated Unimeds: overdue bills and contract indicators (the same
loads as the CSV files), and their cases."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CursorPagination, ErrorSerializer
from retencao import selectors, services
from retencao.api.serializers import (
    BillsInputSerializer,
    CaseSerializer,
    IndicatorsInputSerializer,
    LoadReportSerializer,
)
from retencao.models import CaseQueue
from unimeds.api.permissions import api_actor

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer}
REPORT_EXAMPLE = {
    "totais": {"caso_aberto": 1, "erro": 1},
    "linhas": [
        {"linha": 1, "situacao": "caso_aberto", "mensagem": "Caso #12 aberto.", "caso_id": 12},
        {
            "linha": 2,
            "situacao": "erro",
            "mensagem": "documento: CPF inválido: dígito verificador não confere.",
            "caso_id": None,
        },
    ],
}


def _report(request, kind: str, key: str, serializer_class):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    rows = [(n, dict(row)) for n, row in enumerate(data.validated_data[key], start=1)]
    results = services.retention_load(actor=api_actor(request), kind=kind, rows=rows)
    totals: dict[str, int] = {}
    for result in results:
        totals[result.status] = totals.get(result.status, 0) + 1
    return Response(LoadReportSerializer({"totais": totals, "linhas": results}).data)


class BillsLoadView(APIView):
    @extend_schema(
        summary="Carregar faturas em atraso da Unimed do token",
        description="Cada linha sozinha: uma fatura nova de cliente dentro da régua abre um caso "
        "(inadimplentes); cliente com caso aberto ganha um evento; fora da régua fica registrado "
        "com o motivo. A mesma fatura de novo não muda nada (sem_alteracao).",
        request=BillsInputSerializer,
        responses={200: LoadReportSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Pedido",
                request_only=True,
                value={
                    "faturas": [
                        {
                            "documento": "529.982.247-25",
                            "nr_contrato": "PF-0001",
                            "fatura": "2026110001",
                            "vencimento": "2026-11-10",
                            "valor": "450.00",
                            "dias_atraso": 35,
                        }
                    ]
                },
            ),
            OpenApiExample(
                "Relatório", response_only=True, status_codes=["200"], value=REPORT_EXAMPLE
            ),
        ],
    )
    def post(self, request):
        return _report(request, "faturas", "faturas", BillsInputSerializer)


class IndicatorsLoadView(APIView):
    @extend_schema(
        summary="Carregar indicadores dos contratos da Unimed do token",
        description="Vidas, faixas etárias, sinistralidade, meses de contrato e mensalidade, por "
        "nr_contrato (cria ou atualiza). Um caso guarda os indicadores do momento da abertura.",
        request=IndicatorsInputSerializer,
        responses={200: LoadReportSerializer, **ERRORS},
    )
    def post(self, request):
        return _report(request, "indicadores", "contratos", IndicatorsInputSerializer)


class CasePagination(CursorPagination):
    ordering = ("-opened_at", "-id")
    page_size = 50
    page_size_query_param = "limite"
    max_page_size = 200
    cursor_query_param = "cursor"


class CaseListView(ListAPIView):
    """Retention cases of the token's Unimed (open ones by default), newest first."""

    serializer_class = CaseSerializer
    pagination_class = CasePagination
    filter_backends: list = []

    def get_queryset(self):
        queue = self.request.query_params.get("fila", "")
        status = self.request.query_params.get("situacao", "")
        return selectors.case_queue(
            actor=api_actor(self.request),
            queue=queue if queue in CaseQueue.values else "",
            filters={"status": status} if status else None,
        ).order_by()

    @extend_schema(
        summary="Casos de retenção da Unimed do token",
        parameters=[
            OpenApiParameter("fila", str, enum=CaseQueue.values),
            OpenApiParameter("situacao", str, description="todos ou uma situação; vazio: abertos"),
            OpenApiParameter("limite", int, description="Itens por página (até 200)"),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CaseDetailView(APIView):
    @extend_schema(
        summary="Um caso de retenção", responses={200: CaseSerializer, 404: ErrorSerializer}
    )
    def get(self, request, case_id: int):
        return Response(
            CaseSerializer(selectors.case_get(actor=api_actor(request), case_id=case_id)).data
        )
