"""API views: one per GPU operation, plus the protocol list and detail."""

import logging
import time
from datetime import datetime

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CursorPagination, ErrorSerializer
from core.client_ip import client_ip
from core.errors import Forbidden
from core.integration_log import log_call
from core.services import audit_record
from gpu_api import examples
from gpu_api.filters import ProtocolFilter
from gpu_api.idempotency import inbound_process
from gpu_api.operations import HANDLERS, Handler, run
from gpu_api.output import ProtocolDetailSerializer, ProtocolListSerializer
from gpu_api.schema import schema_of
from gpu_api.wire import message_serializer, without_blanks
from protocols.models import Protocol
from protocols.outbox.messages import PROTOCOL_VERSION, Operation, wire_datetime
from protocols.selectors import protocol_get, protocols_visible
from unimeds.api.authentication import ServiceAccountPrincipal
from unimeds.api.permissions import api_actor
from unimeds.services import service_account_sign_in

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
            str(header.get("nr_transacao_prestadora", "")) if isinstance(header, dict) else ""
        )
        log_call(
            direction="entrada",
            operation=self.log_operation or request.path[:80],
            unimed=unimed,
            http_status=http_status,
            duration_ms=(time.monotonic() - self._started) * 1000,
            request_id=request_id,
            url=request.get_full_path(),
            request_body=body,
            response_body=answer,
        )
        self._logged = True


HEADER_KEYS = (
    "cd_transacao",
    "tp_cliente",
    "cd_uni_origem",
    "cd_uni_destino",
    "nr_ans",
    "nr_transacao_prestadora",
    "dt_manifestacao",
    "id_usuario",
    "nr_versao_protocolo",
)


def reply_header(op: Operation, received: dict, validated: dict, protocol: Protocol | None) -> dict:
    """The whole header echoed, with the reply's code: the Laravel client reads every key
    without checking that it exists. Values as validated (a code sent as a number comes
    back as its string); missing destination fields are the protocol's."""

    def value(key):
        found = validated.get(key)
        if isinstance(found, datetime):
            return found.strftime("%Y-%m-%d %H:%M:%S")
        if found not in (None, ""):
            return found
        raw = received.get(key)
        return raw if isinstance(raw, str) and raw.strip() else None

    header = {key: value(key) for key in HEADER_KEYS}
    header["cd_transacao"] = op.reply_code
    if value("dt_cancelamento"):
        header["dt_cancelamento"] = value("dt_cancelamento")
    header["nr_versao_protocolo"] = header["nr_versao_protocolo"] or PROTOCOL_VERSION
    if protocol is not None:
        header["cd_uni_destino"] = header["cd_uni_destino"] or protocol.responsible_unimed.code
        header["nr_ans"] = header["nr_ans"] or protocol.responsible_unimed.ans_registry
        if op.name == "consultaStatusProtocolo":
            header["dt_sol_protocolo"] = wire_datetime(protocol.opened_at)
    return header


class GpuOperationView(LoggedAPIView):
    """POST /api/v1/gpu/<operacao>: validate the wire message, check the origin, run
    the operation once per transaction id, answer in GPU format."""

    handler: Handler

    def post(self, request):
        op = self.handler.op
        if not isinstance(request.data, dict):
            raise ValidationError(
                {"__all__": ["Envie um objeto JSON com cabecalho_transacao e o bloco da operação."]}
            )
        serializer = message_serializer(op, self.handler.body)(data=without_blanks(request.data))
        if not serializer.is_valid():
            raise ValidationError(serializer.errors)
        received = request.data["cabecalho_transacao"]
        header = serializer.validated_data["cabecalho_transacao"]
        body = serializer.validated_data[op.body_key]
        actor = api_actor(request)
        if header["cd_uni_origem"] != actor.unimed.code:
            message = (
                f"cd_uni_origem {header['cd_uni_origem']} não é a Unimed do token "
                f"({actor.unimed.code}): uma Unimed só envia em seu próprio nome."
            )
            raise Forbidden(
                message,
                code="origem_divergente",
                fields={"cabecalho_transacao.cd_uni_origem": [message]},
            )

        def answer() -> tuple[int, dict, Protocol | None]:
            status, block, protocol = run(self.handler, actor, header, body)
            head = reply_header(op, received, header, protocol)
            return status, {"cabecalho_transacao": head, op.reply_key: block}, protocol

        if not op.writes:
            status, reply, _protocol = answer()
            return Response(reply, status=status)

        def work():
            status, reply, protocol = answer()
            self.log_answer(status, reply)  # in the operation's transaction
            return status, reply, protocol

        status, reply = inbound_process(
            actor=actor,
            operation=op.name,
            transaction_id=header["nr_transacao_prestadora"],
            data=request.data,
            work=work,
        )
        return Response(reply, status=status)


def _schema(handler: Handler):
    op = handler.op
    status, answer = examples.RESPONSES[op.name]
    errors = {
        code: OpenApiResponse(
            ErrorSerializer,
            description=title,
            examples=[OpenApiExample(title, value=body, response_only=True, status_codes=[code])],
        )
        for code, (title, body) in examples.ERRORS.items()
    }
    return extend_schema(
        operation_id=op.name,
        summary=handler.summary,
        tags=["Mensagens GPU"],
        description=(
            f"cd_transacao {op.code} · bloco `{op.body_key}` → resposta {op.reply_code} · bloco "
            f"`{op.reply_key}`. Também em /api/v1/gpu/{op.alias} (cliente Laravel). "
            + (
                "Idempotente em (cd_uni_origem, nr_transacao_prestadora)."
                if op.writes
                else "Consulta: pode ser repetida livremente."
            )
        ),
        request=message_serializer(op, handler.body),
        responses={
            status: OpenApiResponse(
                schema_of(answer),
                description="Sucesso",
                examples=[
                    OpenApiExample(
                        "Resposta", value=answer, response_only=True, status_codes=[status]
                    )
                ],
            ),
            **errors,
        },
        examples=[
            OpenApiExample(name, value=value, request_only=True)
            for name, value in examples.REQUEST_VARIANTS[op.name].items()
        ],
    )


def operation_view(handler: Handler) -> type[GpuOperationView]:
    name = handler.op.name
    view = type(
        f"{name[0].upper()}{name[1:]}View",
        (GpuOperationView,),
        {"handler": handler, "log_operation": name},
    )

    def post(self, request):
        return GpuOperationView.post(self, request)

    view.post = _schema(handler)(post)
    return view


OPERATION_VIEWS = {name: operation_view(handler) for name, handler in HANDLERS.items()}


class TokenRequest(serializers.Serializer):
    grant_type = serializers.ChoiceField(choices=["password"], help_text='Sempre "password"')
    username = serializers.CharField(
        max_length=100, help_text="client_id da conta de serviço (ex.: svc-0137)"
    )
    password = serializers.CharField(max_length=200, help_text="client_secret da conta de serviço")


class TokenAnswer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()
    token_id = serializers.CharField()
    user_id = serializers.CharField()
    senha_expirada = serializers.BooleanField()


class GiuTokenView(LoggedAPIView):
    """POST /api/v1/gpu/token: the GIU-style sign-in the Laravel client makes (JSON
    password grant) for a service account; the same bearer token as /o/token/."""

    authentication_classes: list = []
    permission_classes: list = []
    log_operation = "gpu.token"

    @extend_schema(
        operation_id="gpuToken",
        tags=["Autenticação"],
        auth=[],
        request=TokenRequest,
        summary="Entrar como no GIU (password grant em JSON) com a conta de serviço",
        responses={
            200: TokenAnswer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    def post(self, request):
        form = TokenRequest(data=request.data if isinstance(request.data, dict) else {})
        if not form.is_valid():
            raise ValidationError(form.errors)
        raw, ttl, account = service_account_sign_in(
            username=form.validated_data["username"],
            password=form.validated_data["password"],
            ip=client_ip(request),
        )
        response = Response(
            {
                "access_token": raw,
                "token_type": "Bearer",
                "expires_in": ttl,
                "token_id": raw,
                "user_id": account.client_id,
                "senha_expirada": False,
                "scope": "gpu",
            }
        )
        # The Laravel client reads two cookies off this answer (GIU sits behind a load
        # balancer); they carry nothing and authorise nothing.
        for name in ("GPU_SESSAO", "GPU_NO"):
            response.set_cookie(
                name, "1", max_age=ttl, secure=request.is_secure(), httponly=True, samesite="Strict"
            )
        return response


class ProtocolCursor(CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "tamanho"
    ordering = ("-opened_at", "-id")


@extend_schema_view(
    get=extend_schema(
        summary="Protocolos da Unimed do token",
        tags=["Protocolos"],
        description="Paginação por cursor (campo next). Só protocolos em que a Unimed do token é origem, "
        "responsável (atual ou anterior) ou de atendimento.",
    )
)
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


@extend_schema_view(
    get=extend_schema(
        summary="Protocolo e sua linha do tempo pública",
        tags=["Protocolos"],
        responses={200: ProtocolDetailSerializer, 404: ErrorSerializer},
    )
)
class ProtocolDetailView(LoggedAPIView, RetrieveAPIView):
    """GET /api/v1/protocolos/<nr_protocolo>/: the protocol and its public timeline."""

    log_operation = "protocolos.detalhe"
    serializer_class = ProtocolDetailSerializer

    def get_object(self):
        actor = api_actor(self.request)
        protocol = protocol_get(actor=actor, number=self.kwargs["number"])
        audit_record(
            actor=actor,
            action="protocolo.consultado_api",
            target_type="Protocol",
            target_id=protocol.pk,
            data={"numero": protocol.number},
        )
        return protocol
