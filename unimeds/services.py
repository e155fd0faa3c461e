"""Writes of the network registry: staff access, service accounts, areas."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from oauth2_provider.models import Application

from core import refcache
from core.errors import Conflict, DomainError, Forbidden, InvalidInput
from core.identifiers import normalize_cpf
from core.mail import site_url
from core.services import audit_record
from unimeds.actors import Actor, forget_access
from unimeds.models import (
    Level,
    Membership,
    Module,
    ModuleGrant,
    Municipality,
    Role,
    RoleGrant,
    ServiceAccount,
    Unimed,
    preset_levels,
)
from unimeds.selectors import staff_get

User = get_user_model()


# --- Service accounts -------------------------------------------------------
@transaction.atomic
def service_account_create(
    *,
    unimed: Unimed,
    name: str = "",
    client_id: str | None = None,
    client_secret: str | None = None,
) -> tuple[ServiceAccount, str]:
    """Create an OAuth2 client-credentials application bound to `unimed`.

    Returns the account and the plain client secret (stored hashed; shown once).
    """
    secret = client_secret or secrets.token_urlsafe(32)
    kwargs = {"client_id": client_id} if client_id else {}
    if client_id and Application.objects.filter(client_id=client_id).exists():
        raise Conflict(
            gettext("Já existe uma conta de serviço com client_id %(client_id)s.")
            % {"client_id": client_id}
        )
    app = Application.objects.create(
        name=name or f"Serviço {unimed.code}",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        **kwargs,
    )
    account = ServiceAccount.objects.create(application=app, unimed=unimed, name=app.name)
    audit_record(
        actor=None,
        action="conta_servico.criada",
        target_type="ServiceAccount",
        target_id=account.pk,
        data={"unimed": unimed.code, "client_id": app.client_id},
    )
    return account, secret


# --- Areas ------------------------------------------------------------------
@transaction.atomic
def unimed_set_area(*, unimed: Unimed, municipality_codes: list[str]) -> int:
    """Make `unimed`'s area exactly these municipalities; a city already in another
    Unimed's area is refused (a municipality belongs to one area at most)."""
    codes = set(municipality_codes)
    found = set(Municipality.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = sorted(codes - found)
    if unknown:
        raise InvalidInput(
            gettext("Municípios IBGE desconhecidos: %(codigos)s.") % {"codigos": ", ".join(unknown)}
        )
    taken = list(
        Municipality.objects.select_for_update()
        .filter(code__in=codes, unimed__isnull=False)
        .exclude(unimed=unimed)
        .values_list("code", "unimed__code")
    )
    if taken:
        detail = ", ".join(f"{c} (Unimed {u})" for c, u in taken)
        raise Conflict(
            gettext("Municípios já pertencem à área de outra Unimed: %(detail)s.")
            % {"detail": detail}
        )
    Municipality.objects.filter(unimed=unimed).exclude(code__in=codes).update(unimed=None)
    changed = Municipality.objects.filter(code__in=codes).update(unimed=unimed)
    refcache.bump()  # queryset updates send no signal
    return changed


# --- Staff ------------------------------------------------------------------
def _clean_roles(roles) -> set[str]:
    valid = set(Role.values)
    chosen = set(roles or [])
    if not chosen:
        raise InvalidInput(
            gettext("Escolha ao menos um papel."), fields={"roles": ["Escolha ao menos um papel."]}
        )
    if chosen - valid:
        raise InvalidInput(
            gettext("Papel desconhecido."), fields={"roles": ["Papel desconhecido."]}
        )
    return chosen


def _gestor_unimed(actor: Actor) -> Unimed:
    if actor is None or actor.unimed is None or not actor.may(Module.EQUIPE, Level.ADMINISTRAR):
        raise Forbidden(gettext("Somente quem administra a equipe da Unimed a gerencia."))
    return actor.unimed


def invitation_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url(reverse("unimeds:invite_accept", args=[uid, token]))


def _send_invitation(user, unimed: Unimed) -> None:
    send_mail(
        subject="GPU — convite de acesso",
        message=(
            f"Olá, {user.get_full_name() or user.username}.\n\n"
            f"Você foi convidado(a) para o GPU da {unimed.name}. Seu usuário é {user.username}.\n"
            f"Defina sua senha em: {invitation_url(user)}\n\n"
            "O link vale por tempo limitado e só pode ser usado uma vez."
        ),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def staff_invite(
    *, actor: Actor, username: str, full_name: str, email: str, cpf: str, roles
) -> object:
    """A gestor adds a user to their own Unimed and e-mails an invitation link."""
    unimed = _gestor_unimed(actor)
    chosen = _clean_roles(roles)
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = ["Informe o usuário."]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["Este usuário já existe."]
    try:
        cpf_digits = normalize_cpf(cpf) if cpf else ""
    except ValidationError as exc:
        errors["cpf"] = list(exc.messages)
        cpf_digits = ""
    if not email:
        errors["email"] = ["Informe o e-mail para o convite."]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    first, _, last = (full_name or "").strip().partition(" ")
    user = User.objects.create(
        username=username, email=email, first_name=first[:150], last_name=last[:150]
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    membership = Membership.objects.create(user=user, unimed=unimed, cpf=cpf_digits)
    RoleGrant.objects.bulk_create(
        [RoleGrant(membership=membership, role=r) for r in sorted(chosen)]
    )
    audit_record(
        actor=actor,
        action="equipe.convidado",
        target_type="User",
        target_id=user.pk,
        data={"usuario": username, "papeis": sorted(chosen), "email": email},
    )
    _send_invitation(
        user, unimed
    )  # an outbox row (core.mail): SMTP down delays it, never fails the invite
    return user


@transaction.atomic
def staff_set_roles(*, actor: Actor, user_id: int, roles) -> object:
    _gestor_unimed(actor)
    user = staff_get(actor=actor, user_id=user_id)
    chosen = _clean_roles(roles)
    if user.pk == actor.user.pk and Role.GESTOR not in chosen:
        raise DomainError(
            gettext("Você não pode retirar o seu próprio papel de gestor."),
            code="auto_rebaixamento",
        )
    membership = Membership.objects.select_for_update().get(user=user)
    before = set(membership.grants.values_list("role", flat=True))
    membership.grants.exclude(role__in=chosen).delete()
    RoleGrant.objects.bulk_create(
        [RoleGrant(membership=membership, role=r) for r in sorted(chosen - before)]
    )
    # A role is a preset of the matrix: choosing roles resets the per-module settings.
    membership.module_grants.all().delete()
    forget_access(user.pk)  # bulk_create sends no signal
    if before != chosen:
        audit_record(
            actor=actor,
            action="equipe.papeis",
            target_type="User",
            target_id=user.pk,
            data={"antes": sorted(before), "depois": sorted(chosen)},
        )
    return user


@transaction.atomic
def staff_set_levels(*, actor: Actor, user_id: int, levels: dict) -> dict[str, int]:
    """The gestor sets one member's level in each module (the ADMP way: per system).
    Only what differs from the roles' presets is stored; the change is audited as
    before → after per module. Returns the member's effective matrix."""
    _gestor_unimed(actor)
    user = staff_get(actor=actor, user_id=user_id)
    chosen: dict[str, int] = {}
    problems: dict[str, list[str]] = {}
    for module in Module.values:
        raw = (levels or {}).get(module, Level.NENHUM)
        try:
            level = Level(int(raw))
        except (TypeError, ValueError):
            problems[module] = [f"Nível inválido para {Module(module).label}."]
            continue
        chosen[module] = level
    unknown = set(levels or {}) - set(Module.values)
    if unknown:
        problems["__all__"] = ["Módulo desconhecido: " + ", ".join(sorted(map(str, unknown)))]
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], fields=problems)
    if user.pk == actor.user.pk and chosen[Module.EQUIPE] < Level.ADMINISTRAR:
        raise DomainError(
            gettext("Você não pode retirar de si mesmo a administração da equipe."),
            code="auto_rebaixamento",
        )
    membership = Membership.objects.select_for_update().get(user=user)
    before = membership.levels
    presets = preset_levels(membership.roles)
    membership.module_grants.all().delete()
    ModuleGrant.objects.bulk_create(
        [
            ModuleGrant(membership=membership, module=module, level=level)
            for module, level in chosen.items()
            if level != presets.get(module, Level.NENHUM)
        ]
    )
    forget_access(user.pk)
    after = {module: level for module, level in chosen.items() if level > Level.NENHUM}
    changed = {
        module: [str(Level(before.get(module, 0)).label), str(Level(after.get(module, 0)).label)]
        for module in Module.values
        if before.get(module, 0) != after.get(module, 0)
    }
    if changed:
        audit_record(
            actor=actor,
            action="equipe.permissoes",
            target_type="User",
            target_id=user.pk,
            data={"usuario": user.username, "alteracoes": changed},
        )
    return after


@transaction.atomic
def staff_set_active(*, actor: Actor, user_id: int, active: bool) -> object:
    _gestor_unimed(actor)
    user = staff_get(actor=actor, user_id=user_id)
    if user.pk == actor.user.pk and not active:
        raise DomainError(
            gettext("Você não pode desativar o seu próprio acesso."), code="auto_desativacao"
        )
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="equipe.ativado" if active else "equipe.desativado",
            target_type="User",
            target_id=user.pk,
            data={"usuario": user.username},
        )
    return user


def staff_resend_invitation(*, actor: Actor, user_id: int) -> None:
    unimed = _gestor_unimed(actor)
    user = staff_get(actor=actor, user_id=user_id)
    if user.has_usable_password():
        raise DomainError(gettext("Este usuário já definiu a senha."), code="convite_ja_usado")
    _send_invitation(user, unimed)
    audit_record(
        actor=actor, action="equipe.convite_reenviado", target_type="User", target_id=user.pk
    )


# --- Service account sign-in (GIU style) ---------------------------------------
class SignInLocked(DomainError):
    status = 429
    code = "limite_excedido"


class SignInRefused(DomainError):
    status = 401
    code = "credenciais_invalidas"


def _failures_key(kind: str, value: str) -> str:
    return f"svc-signin:{kind}:{value}"


def _failures(keys: list[str]) -> int:
    from django.core.cache import cache

    try:
        return max((cache.get(k) or 0) for k in keys)
    except Exception:  # noqa: BLE001 — store down: fail open, the password still has to match
        return 0


def _count_failure(keys: list[str], window: int) -> None:
    from django.core.cache import cache

    for key in keys:
        try:
            cache.add(key, 0, window)
            cache.incr(key)
        except Exception:  # noqa: BLE001, S112 — store down: nothing to count with
            continue


def service_account_sign_in(
    *, username: str, password: str, ip: str | None
) -> tuple[str, int, ServiceAccount]:
    """The GIU-style password grant for a service account (client_id + client_secret):
    (access token, seconds to expiry, account). The same token as /o/token/ issues.

    Refused alike (401 credenciais_invalidas) for an unknown client, a wrong secret and
    an inactive account or Unimed, so nothing tells which accounts exist. After
    GPU_LOGIN_FAILURE_LIMIT failures for a client_id or from an address within
    GPU_SERVICE_SIGNIN_WINDOW_SECONDS, 429 until the window passes (no permanent lock: a
    stranger cannot shut a Unimed's integration out for good)."""
    from datetime import timedelta

    from django.contrib.auth.hashers import check_password
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, set_token_value
    from oauthlib.common import generate_token

    window = settings.GPU_SERVICE_SIGNIN_WINDOW_SECONDS
    username = str(username or "").strip()[:100]
    keys = [_failures_key("client", username)] + ([_failures_key("ip", ip)] if ip else [])
    if _failures(keys) >= settings.AXES_FAILURE_LIMIT:
        raise SignInLocked(
            f"Muitas tentativas sem sucesso; tente de novo em {window // 60} minutos."
        )
    app = (
        Application.objects.select_related("service_account__unimed")
        .filter(client_id=username)
        .first()
    )
    account = getattr(app, "service_account", None) if app else None
    valid = (
        account is not None
        and check_password(str(password or ""), app.client_secret)
        and account.is_active
        and account.unimed.is_active
    )
    if not valid:
        _count_failure(keys, window)
        raise SignInRefused("Usuário ou senha inválidos.")
    ttl = settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"]
    raw = generate_token()
    token = AccessToken(
        application=app, expires=timezone.now() + timedelta(seconds=ttl), scope="gpu"
    )
    set_token_value(token, raw)
    token.save()
    return raw, ttl, account


# --- Integration endpoint ---------------------------------------------------------
@transaction.atomic
def unimed_endpoint_configure(
    *,
    actor: Actor | None,
    unimed,
    url: str,
    secret: str,
    integrated: bool = True,
    accepts: list[str] | None = None,
):
    """Make `unimed` integrated with this endpoint base URL and signing secret (or turn
    integration off with integrated=False, keeping the values), and, with `accepts`, set
    the cd_transacao codes its receiver reads. Audited; the secret is never written to
    the audit trail."""
    from django.core.exceptions import ValidationError

    from core.errors import InvalidInput
    from unimeds.models import Unimed, validate_endpoint_url, validate_receiver_accepts

    locked = Unimed.objects.select_for_update().get(pk=unimed.pk)
    errors: dict[str, list[str]] = {}
    url = (url or "").strip()
    secret = (secret or "").strip()
    if integrated or url:
        try:
            validate_endpoint_url(url)
        except ValidationError as exc:
            errors["endpoint_url"] = list(exc.messages)
    if integrated and len(secret) < 16:
        errors["signing_secret"] = ["O segredo de assinatura deve ter ao menos 16 caracteres."]
    if accepts is not None:
        try:
            validate_receiver_accepts(list(accepts))
        except ValidationError as exc:
            errors["receiver_accepts"] = list(exc.messages)
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    locked.is_integrated = integrated
    locked.endpoint_url = url
    if secret:
        locked.signing_secret = secret
    if accepts is not None:
        locked.receiver_accepts = sorted(set(accepts))
    locked.save(
        update_fields=[
            "is_integrated",
            "endpoint_url",
            "signing_secret",
            "receiver_accepts",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="unimed.endpoint_configurado",
        target_type="Unimed",
        target_id=locked.pk,
        data={
            "codigo": locked.code,
            "integrada": integrated,
            "endpoint": url,
            "aceita": locked.receiver_accepts,
        },
    )
    return locked
