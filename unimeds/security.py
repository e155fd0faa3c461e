"""Staff sign-in protection and recovery: lockout with a growing cool-off, a per-address
limit, the gestor's unlock, and the second factor (TOTP with recovery codes, django-otp).

- django-axes locks a *username* after AXES_FAILURE_LIMIT wrong passwords, for a cool-off
  that doubles with each lockout of that username in GPU_LOGIN_LOCKOUT_MEMORY_HOURS
  (GPU_LOGIN_COOLOFF_MINUTES × 2ⁿ, at most GPU_LOGIN_COOLOFF_MAX_HOURS): nobody can lock
  an account for good, and guessing slows down exponentially.
- Per address, GPU_LOGIN_FAILURES_PER_IP wrong passwords in GPU_LOGIN_IP_WINDOW_SECONDS
  stop further attempts from that address (password spraying over many usernames).
- The gestor unlocks a member (audited); a password reset by e-mail unlocks too.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.client_ip import client_ip
from core.errors import Forbidden, InvalidInput
from core.services import audit_record
from unimeds.actors import Actor
from unimeds.models import Level, Module

User = get_user_model()
HUB_ADMIN = "hub_admin"
RECOVERY_CODES = 10


# --- Lockout ----------------------------------------------------------------
def _lockouts_key(username: str) -> str:
    # Hashed: a typed username may hold anything (spaces, emoji, 10 kB); a cache key may not.
    digest = hashlib.sha256(
        (username or "").strip().lower().encode("utf-8", "replace")
    ).hexdigest()[:32]
    return f"staff-lockouts:{digest}"


def _username_of(request) -> str:
    if request is None:
        return ""
    credentials = getattr(request, "axes_credentials", None) or {}
    name = credentials.get("username") if isinstance(credentials, dict) else None
    if not name and request.method == "POST":
        name = request.POST.get("username", "")
    return str(name or "")


def _cooloff_after(lockouts: int) -> timedelta:
    base = timedelta(minutes=settings.GPU_LOGIN_COOLOFF_MINUTES)
    grown = base * (2 ** min(max(lockouts - 1, 0), 16))
    return min(grown, timedelta(hours=settings.GPU_LOGIN_COOLOFF_MAX_HOURS))


def cooloff(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: doubles with each recent lockout of the username."""
    lockouts = cache.get(_lockouts_key(_username_of(request)), 0) if request is not None else 0
    return _cooloff_after(lockouts)


def note_lockout(sender, request=None, username=None, **kwargs) -> None:
    """axes' user_locked_out signal (sent for every refused attempt while locked): count a
    lockout once, so the next one lasts longer."""
    name = username or _username_of(request)
    key = _lockouts_key(name)
    ongoing = f"{key}:em-curso"
    now = timezone.now().timestamp()
    if (cache.get(ongoing) or 0) > now:  # this lockout was counted already (its end is stored)
        return
    ttl = settings.GPU_LOGIN_LOCKOUT_MEMORY_HOURS * 3600
    if not cache.add(key, 1, timeout=ttl):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=ttl)
    length = _cooloff_after(cache.get(key, 1)).total_seconds()
    cache.set(ongoing, now + length, timeout=int(length) + 60)


def _address_key(ip: str | None) -> str:
    return f"staff-signin-ip:{ip or 'desconhecido'}"


def address_blocked(request) -> bool:
    """Too many wrong passwords from this address lately (any usernames)."""
    return cache.get(_address_key(client_ip(request)), 0) >= settings.GPU_LOGIN_FAILURES_PER_IP


def note_address_failure(request) -> None:
    key = _address_key(client_ip(request))
    window = settings.GPU_LOGIN_IP_WINDOW_SECONDS
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)


def is_locked(username: str) -> bool:
    from axes.models import AccessAttempt

    limit = settings.AXES_FAILURE_LIMIT
    return AccessAttempt.objects.filter(username=username, failures_since_start__gte=limit).exists()


def unlock_username(username: str) -> None:
    from axes.utils import reset

    reset(username=username)
    cache.delete_many([_lockouts_key(username), f"{_lockouts_key(username)}:em-curso"])


@transaction.atomic
def staff_unlock(*, actor: Actor, user_id: int):
    """The gestor's "Desbloquear": clears the lockout of a member of their Unimed (audited)."""
    from unimeds.selectors import staff_get

    _require_gestor(actor)
    user = staff_get(actor=actor, user_id=user_id)
    was_locked = is_locked(user.get_username())
    unlock_username(user.get_username())
    audit_record(
        actor=actor,
        action="equipe.desbloqueado",
        target_type="User",
        target_id=user.pk,
        data={"usuario": user.get_username(), "estava_bloqueado": was_locked},
    )
    return user


# --- Second factor ------------------------------------------------------------
def required_roles() -> set[str]:
    return {r.strip() for r in settings.GPU_2FA_REQUIRED_ROLES if r and r.strip()}


def roles_of(user) -> set[str]:
    roles = set()
    if getattr(user, "is_superuser", False):
        roles.add(HUB_ADMIN)
    membership = getattr(user, "membership", None) if user is not None else None
    if membership is not None:
        roles |= set(membership.grants.values_list("role", flat=True))
    return roles


def second_factor_required(user) -> bool:
    return bool(required_roles() & roles_of(user))


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _require_gestor(actor: Actor) -> None:
    if (
        actor is None
        or actor.unimed is None
        or actor.user is None
        or not actor.may(Module.EQUIPE, Level.ADMINISTRAR)
    ):
        raise Forbidden(gettext("Somente quem administra a equipe da Unimed a gerencia."))


def totp_pending(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (a new secret each start)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Aplicativo autenticador", confirmed=False
        )
    return device


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Códigos de recuperação", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def otp_confirm(*, user, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with a code it shows; returns it and fresh recovery codes
    (shown once). A wrong code raises InvalidInput."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    token = "".join((token or "").split())
    if device is None or not token.isdigit() or not device.verify_token(token):
        message = (
            "Código inválido. Confira a hora do celular e digite o código atual do aplicativo."
        )
        raise InvalidInput(message, code="codigo_invalido", fields={"token": [message]})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # one authenticator at a time
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit_record(
        actor=None,
        action="equipe.segundo_fator_ativado",
        target_type="User",
        target_id=user.pk,
        data={"usuario": user.get_username()},
    )
    return device, codes


@transaction.atomic
def otp_recovery_codes_renew(*, user) -> list[str]:
    if not has_second_factor(user):
        raise InvalidInput(gettext("Ative o segundo fator antes de gerar códigos de recuperação."))
    codes = _new_recovery_codes(user)
    audit_record(
        actor=None,
        action="equipe.codigos_recuperacao_gerados",
        target_type="User",
        target_id=user.pk,
        data={"usuario": user.get_username()},
    )
    return codes


@transaction.atomic
def staff_reset_second_factor(*, actor: Actor, user_id: int):
    """The gestor removes a member's authenticator and recovery codes (lost phone): at
    the next sign-in the member enrols again (audited)."""
    from unimeds.selectors import staff_get

    _require_gestor(actor)
    user = staff_get(actor=actor, user_id=user_id)
    removed = (
        TOTPDevice.objects.filter(user=user).delete()[0]
        + StaticDevice.objects.filter(user=user).delete()[0]
    )
    audit_record(
        actor=actor,
        action="equipe.segundo_fator_redefinido",
        target_type="User",
        target_id=user.pk,
        data={"usuario": user.get_username(), "dispositivos_removidos": removed},
    )
    return user


def verify_second_factor(*, user, token: str):
    """The device (authenticator or a single-use recovery code) the code matches, or None."""
    from django_otp import match_token

    token = "".join((token or "").split())
    if not token or len(token) > 16:
        return None
    return match_token(user, token)
