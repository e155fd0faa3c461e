"""The cooperado app's public API: sign-in, password change, "forgot my password", me."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import authentication, exceptions, serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperados import services
from cooperados.models import Cooperado
from core.api import ErrorSerializer
from core.client_ip import client_ip

ERROR = ErrorSerializer
SESSION = inline_serializer(
    "SessaoCooperado",
    {
        "token": serializers.CharField(),
        "tipo": serializers.CharField(),
        "expira_em_segundos": serializers.IntegerField(),
        "login": serializers.CharField(),
        "nome": serializers.CharField(),
    },
)


class CredentialsIn(serializers.Serializer):
    unimed = serializers.RegexField(
        r"^\d{4}$", error_messages={"invalid": "Informe o código da Unimed (4 dígitos)."}
    )
    usuario = serializers.CharField(max_length=254)
    senha = serializers.CharField(max_length=256, trim_whitespace=False)


def session_body(session: services.Session) -> dict:
    return {
        "token": session.token,
        "tipo": "Bearer",
        "expira_em_segundos": session.expires_in,
        "login": session.cooperado.login,
        "nome": session.cooperado.full_name,
    }


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class SessionView(PublicView):
    @extend_schema(
        tags=["cooperados"],
        request=CredentialsIn,
        summary="Entrar no aplicativo do cooperado",
        responses={
            200: SESSION,
            400: ERROR,
            401: OpenApiResponse(
                ERROR,
                description=(
                    "codigo: credenciais_invalidas (também para conta bloqueada) | troca_de_senha_obrigatoria"
                ),
            ),
            429: ERROR,
        },
    )
    def post(self, request):
        data = CredentialsIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        session = services.cooperado_sign_in(
            unimed_code=v["unimed"],
            username=v["usuario"],
            password=v["senha"],
            ip=client_ip(request),
        )
        return Response(session_body(session))


class PasswordChangeIn(CredentialsIn):
    nova_senha = serializers.CharField(max_length=256, trim_whitespace=False)


class PasswordChangeView(PublicView):
    @extend_schema(
        tags=["cooperados"],
        request=PasswordChangeIn,
        summary="Trocar a senha (inclusive a obrigatória)",
        responses={200: SESSION, 400: ERROR, 401: ERROR, 429: ERROR},
    )
    def post(self, request):
        data = PasswordChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        session = services.cooperado_change_own_password(
            unimed_code=v["unimed"],
            username=v["usuario"],
            password=v["senha"],
            new_password=v["nova_senha"],
            ip=client_ip(request),
        )
        return Response(session_body(session))


class ForgotIn(serializers.Serializer):
    unimed = serializers.RegexField(
        r"^\d{4}$", error_messages={"invalid": "Informe o código da Unimed (4 dígitos)."}
    )
    usuario = serializers.CharField(max_length=254)


class ForgotView(PublicView):
    @extend_schema(
        tags=["cooperados"],
        request=ForgotIn,
        summary="Esqueci minha senha (envia link ao e-mail de login)",
        responses={
            202: inline_serializer("EsqueciOk", {"mensagem": serializers.CharField()}),
            400: ERROR,
            429: ERROR,
        },
    )
    def post(self, request):
        data = ForgotIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.cooperado_request_reset(
            unimed_code=data.validated_data["unimed"],
            username=data.validated_data["usuario"],
            ip=client_ip(request),
        )
        return Response(
            {
                "mensagem": "Se os dados conferem, enviamos um link para o e-mail de login cadastrado."
            },
            status=status.HTTP_202_ACCEPTED,
        )


class CooperadoTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` with a token from POST cooperados/sessao."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if len(header) != 2 or header[0].lower() != "bearer":
            return None
        coop = services.cooperado_from_token(header[1])
        if coop is None:
            raise exceptions.AuthenticationFailed()
        return (coop, header[1])

    def authenticate_header(self, request):
        return "Bearer"


class CooperadoTokenScheme(OpenApiAuthenticationExtension):
    """OpenAPI: the app's bearer token from POST cooperados/sessao."""

    target_class = "cooperados.api.views.CooperadoTokenAuthentication"
    name = "tokenCooperado"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token curto do app do cooperado (POST /api/v1/cooperados/sessao).",
        }


class IsCooperado(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, Cooperado)


class MeView(APIView):
    authentication_classes = [CooperadoTokenAuthentication]
    permission_classes = [IsCooperado]

    @extend_schema(
        tags=["cooperados"],
        summary="Dados do cooperado autenticado",
        responses={
            200: inline_serializer(
                "CooperadoEu",
                {
                    "unimed": serializers.CharField(),
                    "login": serializers.CharField(),
                    "nome": serializers.CharField(),
                    "crm": serializers.CharField(),
                    "email_login": serializers.CharField(),
                },
            ),
            401: ERROR,
        },
    )
    def get(self, request):
        coop = request.user
        return Response(
            {
                "unimed": coop.unimed.code,
                "login": coop.login,
                "nome": coop.full_name,
                "crm": coop.crm,
                "email_login": coop.login_email,
            }
        )
