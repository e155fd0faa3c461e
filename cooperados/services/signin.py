"""The cooperado app's sign-in: constant-time checks, failure counting, rate limit, tokens.

Answers never say whether an account exists for a wrong password: an unknown
account still pays for one password hash, so timing does not tell either.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperados.models import BlockReason, Cooperado, Situation
from cooperados.services.accounts import apply_situation, store_password
from cooperados.services.common import audit_cooperado
from core.errors import DomainError, InvalidInput
from core.identifiers import mask_email
from unimeds.actors import system_actor

TOKEN_SALT = "cooperados.sessao"


class SignInRefused(DomainError):
    status = 401
    code = "credenciais_invalidas"
    default_message = "Usuário ou senha inválidos."


class TooManyAttempts(DomainError):
    status = 429
    code = "limite_excedido"
    default_message = "Muitas tentativas de acesso. Aguarde alguns minutos e tente de novo."


MESSAGES = {
    "credenciais_invalidas": "Usuário ou senha inválidos.",
    "troca_de_senha_obrigatoria": "É preciso definir uma nova senha antes de entrar.",
}


def refuse(code: str) -> SignInRefused:
    return SignInRefused(MESSAGES[code], code=code)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return make_password("conta-inexistente-gpu")


@dataclass(frozen=True)
class Session:
    token: str
    expires_in: int
    cooperado: Cooperado


def _normalize_username(username: str) -> str:
    username = (username or "").strip()
    if "@" in username:
        return username.lower()
    return "".join(c for c in username if c.isalnum()).upper()


def _throttle(ip: str | None, unimed_code: str, username: str) -> None:
    """Per IP+account and per IP budgets in the shared cache (Redis in production)."""
    window = settings.GPU_COOPERADO_SIGNIN_WINDOW_SECONDS
    budgets = (
        (f"coop-signin:{ip}:{unimed_code}:{username}", settings.GPU_COOPERADO_SIGNIN_PER_ACCOUNT),
        (f"coop-signin-ip:{ip}", settings.GPU_COOPERADO_SIGNIN_PER_IP),
    )
    for key, limit in budgets:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        if count > limit:
            raise TooManyAttempts()


def find_account(unimed_code: str, username: str) -> Cooperado | None:
    if not unimed_code or not username:
        return None
    field = "login_email" if "@" in username else "login"
    return (
        Cooperado.objects.select_related("unimed")
        .filter(unimed__code=unimed_code, unimed__is_active=True, **{field: username})
        .first()
    )


def authenticate(*, unimed_code: str, username: str, password: str, ip: str | None) -> Cooperado:
    """Check the credentials; count failures (5 in a row block the account).
    Returns the account whose password matched, whatever its situation."""
    unimed_code = (unimed_code or "").strip()
    username = _normalize_username(username)
    _throttle(ip, unimed_code, username)
    coop = find_account(unimed_code, username)
    if coop is None or not coop.has_password:
        check_password(password or "", _dummy_hash())  # same cost as a real check
        raise refuse("credenciais_invalidas")
    # A blocked account answers exactly like a wrong password, whatever was typed: a
    # different answer would tell a stranger that the account exists (and that their
    # guesses blocked it). The owner learns of the block by e-mail (notify_blocked).
    if not check_password(password or "", coop.password):
        if not coop.is_blocked:
            _record_failure(coop.pk)
        raise refuse("credenciais_invalidas")
    if coop.is_blocked:
        raise refuse("credenciais_invalidas")
    return coop


@transaction.atomic
def _record_failure(cooperado_id: int) -> None:
    coop = Cooperado.objects.select_for_update().select_related("unimed").get(pk=cooperado_id)
    if coop.is_blocked:
        return
    coop.failed_sign_ins += 1
    coop.save(update_fields=["failed_sign_ins"])
    if coop.failed_sign_ins >= settings.GPU_COOPERADO_MAX_FAILED_SIGN_INS:
        apply_situation(
            actor=system_actor(),
            coop=coop,
            situation=Situation.BLOQUEADO,
            reason=BlockReason.FAILED_SIGN_INS,
            note=f"{coop.failed_sign_ins} tentativas seguidas com senha errada.",
        )
        if coop.login_email:
            from cooperados.services.accounts import send_blocked_email

            # The owner is told, with a link that sets a new password and lifts this block:
            # an outbox row in this transaction (core.mail), sent by a worker — no broker
            # call here, so a Redis outage costs no sign-in its answer.
            send_blocked_email(coop)


def issue_token(coop: Cooperado) -> Session:
    payload = {"c": coop.pk, "v": coop.session_version}
    token = signing.dumps(payload, salt=TOKEN_SALT, compress=True)
    return Session(token=token, expires_in=settings.GPU_COOPERADO_TOKEN_TTL_SECONDS, cooperado=coop)


def cooperado_sign_in(
    *, unimed_code: str, username: str, password: str, ip: str | None = None
) -> Session:
    """Sign in with login or login e-mail. Raises SignInRefused (401, with codigo
    credenciais_invalidas | bloqueado | troca_de_senha_obrigatoria) or TooManyAttempts (429)."""
    coop = authenticate(unimed_code=unimed_code, username=username, password=password, ip=ip)
    if coop.must_change_password:
        raise refuse("troca_de_senha_obrigatoria")
    Cooperado.objects.filter(pk=coop.pk).update(failed_sign_ins=0, last_sign_in=timezone.now())
    return issue_token(coop)


def cooperado_change_own_password(
    *, unimed_code: str, username: str, password: str, new_password: str, ip: str | None = None
) -> Session:
    """The app's "troca de senha": the current password proves who it is; a forced
    reset is satisfied by choosing a different new password."""
    # Not one transaction: a wrong current password must still count as a failure.
    coop = authenticate(unimed_code=unimed_code, username=username, password=password, ip=ip)
    if new_password == password:
        raise InvalidInput(
            _("A nova senha deve ser diferente da atual."),
            fields={"nova_senha": ["A nova senha deve ser diferente da atual."]},
        )
    with transaction.atomic():
        coop = Cooperado.objects.select_for_update().select_related("unimed").get(pk=coop.pk)
        try:
            store_password(coop, new_password, must_change=False)
        except InvalidInput as exc:
            raise InvalidInput(
                exc.message, fields={"nova_senha": exc.fields.get("password", [exc.message])}
            ) from None
        coop.last_sign_in = timezone.now()
        coop.save(update_fields=["last_sign_in"])
        audit_cooperado(
            actor=None,
            action="cooperado.senha_trocada_no_app",
            cooperado=coop,
            changes={"senha": ["(oculta)", "(nova)"]},
        )
    return issue_token(coop)


def cooperado_from_token(token: str) -> Cooperado | None:
    """The signed-in cooperado of an app token, or None when it expired, was
    forged, or the account was blocked / had its password changed since."""
    try:
        payload = signing.loads(
            token, salt=TOKEN_SALT, max_age=settings.GPU_COOPERADO_TOKEN_TTL_SECONDS
        )
    except signing.BadSignature:
        return None
    coop = Cooperado.objects.select_related("unimed").filter(pk=payload.get("c")).first()
    if (
        coop is None
        or coop.session_version != payload.get("v")
        or coop.is_blocked
        or coop.must_change_password
    ):
        return None
    return coop


def cooperado_request_reset(*, unimed_code: str, username: str, ip: str | None = None) -> None:
    """ "Esqueci minha senha": e-mails a reset link when the account exists and has a
    login e-mail; the caller always answers the same, so nobody learns which."""
    username = _normalize_username(username)
    _throttle(ip, (unimed_code or "").strip(), f"reset:{username}")
    coop = find_account((unimed_code or "").strip(), username)
    # A block from failed sign-ins is lifted by the link (anyone can cause one); a
    # gestor's block is not, so such an account gets nothing.
    if (
        coop is not None
        and coop.login_email
        and (not coop.is_blocked or coop.block_reason == BlockReason.FAILED_SIGN_INS)
    ):
        from cooperados.services.accounts import send_reset_email

        # Only an outbox row here (core.mail): an SMTP round trip in the request would tell
        # by its delay that the account exists; the worker sends it.
        send_reset_email(coop)
        audit_cooperado(
            actor=None,
            action="cooperado.link_de_senha_pedido_no_app",
            cooperado=coop,
            destino=mask_email(coop.login_email),
        )
