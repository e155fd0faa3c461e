"""PTU risk-sharing API: intake (POST) and the consultations of the registry (GET)."""

import json
import time
from pathlib import Path

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.identifiers import pseudonym
from core.integration_log import log_call
from core.services import audit_record
from intercambio.api.serializers import (
    HabitualityQuerySerializer,
    RiskSharingMessageSerializer,
    SharingQuerySerializer,
)
from intercambio.selectors import habitual_periods, risk_sharing_get, risk_sharing_history
from intercambio.services import risk_sharing_receive
from intercambio.wire import fingerprint, history_body, mask_ptu, sharing_body
from unimeds.api.authentication import ServiceAccountPrincipal
from unimeds.api.permissions import api_actor

_EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
OPERATION = "ptu.compartilhamento_risco"


def _example(name: str, summary: str) -> OpenApiExample:
    return OpenApiExample(
        summary, value=json.loads((_EXAMPLES / name).read_text()), request_only=True
    )


def _error_list(data: dict) -> list[dict]:
    """The issue's list form of the error contract: one {campo, mensagem} per message."""
    fields = data.get("campos") or {}
    listed = [{"campo": name, "mensagem": msg} for name, msgs in fields.items() for msg in msgs]
    return listed or [{"campo": "", "mensagem": data.get("mensagem", "")}]


class LoggedPtuView(APIView):
    """Every request and answer goes to the integration log (masked), errors included."""

    operations = {"POST": OPERATION, "GET": f"{OPERATION}.consulta"}

    def initialize_request(self, request, *args, **kwargs):
        self._started = time.monotonic()
        try:
            # Read before DRF parses: afterwards Django refuses to hand the raw body out.
            self._raw_body = request.body
        except Exception:  # noqa: BLE001 — too large or unreadable: DRF reports it
            self._raw_body = b""
        return super().initialize_request(request, *args, **kwargs)

    def _logged_request_body(self):
        if not self._raw_body:
            return None
        try:
            return mask_ptu(json.loads(self._raw_body))
        except (ValueError, UnicodeDecodeError):
            return {"corpo_nao_json": f"{len(self._raw_body)} bytes"}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if isinstance(data, dict) and "id_erro" in data and "erros" not in data:
            data["erros"] = _error_list(data)
        user = getattr(request, "_user", None)
        log_call(
            direction="entrada",
            operation=self.operations.get(request.method, f"{OPERATION}.{request.method.lower()}"),
            unimed=user.account.unimed if isinstance(user, ServiceAccountPrincipal) else None,
            http_status=response.status_code,
            duration_ms=(time.monotonic() - getattr(self, "_started", time.monotonic())) * 1000,
            request_id=request.headers.get("X-Request-ID", ""),
            url=request.get_full_path(),
            request_body=self._logged_request_body() if request.method == "POST" else None,
            response_body=mask_ptu(data) if data is not None else None,
            error=data.get("mensagem", "")
            if isinstance(data, dict) and response.status_code >= 400
            else "",
        )
        return response


ERROR_RESPONSES = {
    400: OpenApiTypes.OBJECT,
    401: OpenApiTypes.OBJECT,
    403: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
    409: OpenApiTypes.OBJECT,
}


class RiskSharingView(LoggedPtuView):
    @extend_schema(
        summary="Receber compartilhamento de risco (PTU)",
        description=(
            "Inclui ou altera o compartilhamento de risco de um beneficiário (P repasse, C custo operacional). "
            "Idempotente por (Unimed de origem, codigoControleTransacao): a repetição devolve a primeira "
            "resposta; o mesmo código com outro conteúdo é 409. Sem codigoUnimedOrigem, a origem é a "
            "Unimed do token. Erros: {id_identificador, id_erro, codigo, mensagem, campos, erros:[{campo, mensagem}]}."
        ),
        request=RiskSharingMessageSerializer,
        responses={201: OpenApiTypes.OBJECT, **ERROR_RESPONSES},
        examples=[
            _example("ptu_risk_sharing_repasse_P.json", "Pré-pagamento (repasse, P)"),
            _example(
                "ptu_risk_sharing_custo_operacional_C.json", "Pós-pagamento (custo operacional, C)"
            ),
        ],
    )
    def post(self, request):
        serializer = RiskSharingMessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answer = risk_sharing_receive(
            actor=api_actor(request),
            message=serializer.validated_data,
            fingerprint=fingerprint(request.data),
        )
        return Response(answer.body, status=answer.status)

    @extend_schema(
        summary="Consultar compartilhamento de risco por carteirinha",
        parameters=[OpenApiParameter("carteirinha", str, required=True, description="17 dígitos")],
        responses={200: OpenApiTypes.OBJECT, **ERROR_RESPONSES},
    )
    def get(self, request):
        query = SharingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        actor, card = api_actor(request), query.validated_data["carteirinha"]
        sharing = risk_sharing_get(actor=actor, card=card)
        history = risk_sharing_history(actor=actor, card=card)
        audit_record(
            actor=actor,
            action="compartilhamento_risco.consultado",
            target_type="RiskSharing",
            target_id=sharing.pk,
            data={"carteirinha": pseudonym(card)},
        )
        return Response(
            {
                "compartilhamento": sharing_body(sharing),
                "historico": [history_body(h) for h in history],
            }
        )


class HabitualityView(LoggedPtuView):
    operations = {"GET": f"{OPERATION}.habitualidade"}

    @extend_schema(
        summary="Consultar compartilhamentos de risco por habitualidade (carteirinha + período)",
        parameters=[
            OpenApiParameter("carteirinha", str, required=True, description="17 dígitos"),
            OpenApiParameter("dataInicio", str, required=True, description="AAAA-MM-DD"),
            OpenApiParameter("dataFim", str, required=True, description="AAAA-MM-DD"),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERROR_RESPONSES},
    )
    def get(self, request):
        query = HabitualityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        actor, params = api_actor(request), query.validated_data
        periods = habitual_periods(
            actor=actor,
            card=params["carteirinha"],
            start=params["dataInicio"],
            end=params["dataFim"],
        )
        audit_record(
            actor=actor,
            action="compartilhamento_risco.habitualidade_consultada",
            target_type="RiskSharing",
            target_id=params["carteirinha"],
            data={"inicio": params["dataInicio"].isoformat(), "fim": params["dataFim"].isoformat()},
        )
        return Response(
            {
                "carteirinha": params["carteirinha"],
                "dataInicio": params["dataInicio"].isoformat(),
                "dataFim": params["dataFim"].isoformat(),
                "habitual": bool(periods),
                "periodos": [
                    {
                        "tipoCompartilhamentoRisco": p.sharing_type,
                        "unimedDetentora": p.holder_unimed.code,
                        "unimedAtendimento": p.attending_unimed.code,
                        "dataInicio": p.starts_on.isoformat(),
                        "dataFim": p.ends_on.isoformat() if p.ends_on else None,
                    }
                    for p in periods
                ],
            }
        )
