"""API views: one per GPU operation, plus the protocol list and detail."""

import logging
import time

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CursorPagination
from core.errors import Forbidden
from core.integration_log import log_call
from core.services import audit_record
from protocols.api import examples
from protocols.api.filters import ProtocolFilter
from protocols.api.idempotency import inbound_process
from protocols.api.operations import HANDLERS, Handler, run
from protocols.api.output import ProtocolDetailSerializer, ProtocolListSerializer
from protocols.api.wire import message_serializer
from protocols.models import Protocol
from protocols.outbox.messages import OPERATIONS
from protocols.selectors import protocol_get, protocols_visible
from unimeds.api.authentication import ServiceAccountPrincipal
from unimeds.api.permissions import api_actor

logger = logging.getLogger(__name__)


class LoggedAPIView(APIView):
    """Records every call, errors included, in the integration log (direction "entrada")."""

    log_operation = ""

    def dispatch(self, request, *args, **kwargs):
        self._started = time.monotonic()
        self._logged = False
        response = super().dispatch(request, *args, **kwargs)
        if not self._logged:
            try:
                self.log_answer(response.status_code, getattr(response, "data", None))
            except Exception:  # noqa: BLE001 — the log must never cost the caller its answer
                logger.exception("Falha ao registrar chamada no log de integração")
        return response

    def log_answer(self, http_status: int, answer) -> None:
        """Write this call's log row now (a write operation does it inside its own
        transaction, so the row costs no commit of its own)."""
        request = self.request
        user = getattr(request, "_user", None)
        unimed = user.actor.unimed if isinstance(user, ServiceAccountPrincipal) else None
        try:
            body = request.data if request.method == "POST" else dict(request.query_params)
        except Exception:  # noqa: BLE001 — unparsable JSON: the answer says so
            body = None
        header = body.get("cabecalho_transacao") if isinstance(body, dict) else None
        request_id = request.headers.get("X-Request-ID") or (
            str(header.get("nr_transacao_prestadora", "")) if isinstance(header, dict) else "")
        log_call(direction="entrada", operation=self.log_operation or request.path[:80], unimed=unimed,
                 http_status=http_status, duration_ms=(time.monotonic() - self._started) * 1000,
                 request_id=request_id, url=request.get_full_path(), request_body=body, response_body=answer)
        self._logged = True


class GpuOperationView(LoggedAPIView):
    """POST /api/v1/gpu/<operacao>: validate the wire message, check the origin, run
    the operation once per transaction id, answer in GPU format."""

    handler: Handler

    def post(self, request):
        op = OPERATIONS[self.handler.name]
        serializer = message_serializer(op.body_key, self.handler.body)(data=request.data)
        if not serializer.is_valid():
            raise ValidationError(serializer.errors)
        header = serializer.validated_data["cabecalho_transacao"]
        body = serializer.validated_data[op.body_key]
        actor = api_actor(request)
        if header["cd_uni_origem"] != actor.unimed.code:
            message = (f"cd_uni_origem {header['cd_uni_origem']} não é a Unimed do token "
                       f"({actor.unimed.code}): uma Unimed só envia em seu próprio nome.")
            raise Forbidden(message, code="origem_divergente",
                            fields={"cabecalho_transacao.cd_uni_origem": [message]})
        if not op.writes:
            status, answer, _protocol = run(self.handler, actor, header, body)
            return Response(answer, status=status)

        def work():
            status, answer, protocol = run(self.handler, actor, header, body)
            self.log_answer(status, answer)  # in the operation's transaction
            return status, answer, protocol

        status, answer = inbound_process(
            actor=actor, operation=op.name, transaction_id=header["nr_transacao_prestadora"],
            data=request.data, work=work,
        )
        return Response(answer, status=status)


class ErrorSerializer(serializers.Serializer):
    id_erro = serializers.CharField(help_text="Código estável do erro")
    mensagem = serializers.CharField(help_text="Mensagem em pt-BR")
    campos = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text='{"bloco.campo": ["mensagens"]}')


def _schema(handler: Handler):
    op = OPERATIONS[handler.name]
    status, answer = examples.RESPONSES[handler.name]
    errors = {
        code: OpenApiResponse(ErrorSerializer, description=title,
                              examples=[OpenApiExample(title, value=body, response_only=True, status_codes=[code])])
        for code, (title, body) in examples.ERRORS.items()
    }
    return extend_schema(
        operation_id=handler.name, summary=handler.summary, tags=["Mensagens GPU"],
        description=(f"cd_transacao {op.code} → resposta {op.reply_code}. "
                     + ("Idempotente em (cd_uni_origem, nr_transacao_prestadora)." if op.writes
                        else "Consulta: pode ser repetida livremente.")),
        request=message_serializer(op.body_key, handler.body),
        responses={status: OpenApiResponse(OpenApiTypes.OBJECT, description="Sucesso", examples=[
            OpenApiExample("Resposta", value=answer, response_only=True, status_codes=[status])]), **errors},
        examples=[OpenApiExample("Mensagem", value=examples.REQUESTS[handler.name], request_only=True)],
    )


def operation_view(handler: Handler) -> type[GpuOperationView]:
    view = type(f"{handler.name[0].upper()}{handler.name[1:]}View", (GpuOperationView,),
                {"handler": handler, "log_operation": handler.name})

    def post(self, request):
        return GpuOperationView.post(self, request)

    view.post = _schema(handler)(post)
    return view


OPERATION_VIEWS = {name: operation_view(handler) for name, handler in HANDLERS.items()}


class ProtocolCursor(CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "tamanho"
    ordering = ("-opened_at", "-id")


@extend_schema_view(get=extend_schema(
    summary="Protocolos da Unimed do token", tags=["Protocolos"],
    description="Paginação por cursor (campo next). Só protocolos em que a Unimed do token é origem, "
                "responsável (atual ou anterior) ou de atendimento."))
class ProtocolListView(LoggedAPIView, ListAPIView):
    """GET /api/v1/protocolos/: what the token's Unimed takes part in, newest first."""

    log_operation = "protocolos.listar"
    serializer_class = ProtocolListSerializer
    pagination_class = ProtocolCursor
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ProtocolFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no token
            return Protocol.objects.none()
        return protocols_visible(actor=api_actor(self.request))


@extend_schema_view(get=extend_schema(
    summary="Protocolo e sua linha do tempo pública", tags=["Protocolos"],
    responses={200: ProtocolDetailSerializer, 404: ErrorSerializer}))
class ProtocolDetailView(LoggedAPIView, RetrieveAPIView):
    """GET /api/v1/protocolos/<nr_protocolo>/: the protocol and its public timeline."""

    log_operation = "protocolos.detalhe"
    serializer_class = ProtocolDetailSerializer

    def get_object(self):
        actor = api_actor(self.request)
        protocol = protocol_get(actor=actor, number=self.kwargs["number"])
        audit_record(actor=actor, action="protocolo.consultado_api", target_type="Protocol",
                     target_id=protocol.pk, data={"numero": protocol.number})
        return protocol
