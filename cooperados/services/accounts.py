"""A gestor's changes to one cooperado: e-mails, situation (block/unblock), password."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from cooperados.models import SITUATION_TRANSITIONS, BlockReason, Cooperado, LoginEmail, Situation
from cooperados.services.common import audit_cooperado, diff, lock_cooperado
from core.errors import InvalidInput, InvalidTransition, NotFound
from core.identifiers import mask_email
from core.mail import site_url
from unimeds.actors import Actor

EMAIL_FIELDS = ("email_unimed", "email_private", "login_email_source")


# --- E-mails ------------------------------------------------------------------
def _clean_email(value: str, field: str, errors: dict) -> str:
    value = (value or "").strip().lower()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            errors[field] = ["Informe um e-mail válido."]
    return value


@transaction.atomic
def cooperado_update_emails(
    *,
    actor: Actor,
    cooperado_id: int,
    email_unimed: str,
    email_private: str,
    login_email_source: str,
) -> Cooperado:
    """Edit the two e-mails and choose which one signs in to the app. The chosen one
    must be filled and may be the login e-mail of no other cooperado of the Unimed.
    The login is not a parameter: A400 owns it."""
    coop = lock_cooperado(actor, cooperado_id)
    errors: dict[str, list[str]] = {}
    email_unimed = _clean_email(email_unimed, "email_unimed", errors)
    email_private = _clean_email(email_private, "email_private", errors)
    if login_email_source not in LoginEmail.values:
        errors["login_email_source"] = ["Escolha qual e-mail é o de login do aplicativo."]
    elif not errors:
        chosen = email_private if login_email_source == LoginEmail.PRIVATE else email_unimed
        field = "email_private" if login_email_source == LoginEmail.PRIVATE else "email_unimed"
        if not chosen:
            errors[field] = ["O e-mail marcado como login do aplicativo não pode ficar vazio."]
        elif (
            Cooperado.objects.filter(unimed=coop.unimed, login_email=chosen)
            .exclude(pk=coop.pk)
            .exists()
        ):
            errors[field] = ["Este e-mail já é o e-mail de login de outro cooperado desta Unimed."]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    before = {f: getattr(coop, f) for f in EMAIL_FIELDS}
    coop.email_unimed, coop.email_private, coop.login_email_source = (
        email_unimed,
        email_private,
        login_email_source,
    )
    changes = diff(before, {f: getattr(coop, f) for f in EMAIL_FIELDS})
    if changes:
        coop.sync_derived()
        coop.save(update_fields=[*EMAIL_FIELDS, "login_email", "updated_at"])
        audit_cooperado(
            actor=actor, action="cooperado.emails_alterados", cooperado=coop, changes=changes
        )
    return coop


# --- Situation ------------------------------------------------------------------
def apply_situation(
    *, actor: Actor | None, coop: Cooperado, situation: str, reason: str = "", note: str = ""
) -> Cooperado:
    """The only writer of `situation`, on a row the caller has locked: checks the
    transition, saves, and writes the audit row."""
    if situation not in SITUATION_TRANSITIONS.get(coop.situation, ()):
        raise InvalidTransition(
            "O cooperado já está bloqueado."
            if situation == Situation.BLOQUEADO
            else "O cooperado já está ativo."
        )
    before = {
        "situation": coop.situation,
        "block_reason": coop.block_reason,
        "block_note": coop.block_note,
    }
    coop.situation = situation
    if situation == Situation.BLOQUEADO:
        coop.block_reason, coop.block_note, coop.blocked_at = reason, note[:300], timezone.now()
        coop.session_version = F("session_version") + 1  # tokens already issued stop working
    else:
        coop.block_reason, coop.block_note, coop.blocked_at = "", "", None
        coop.failed_sign_ins = 0
    coop.save(
        update_fields=[
            "situation",
            "block_reason",
            "block_note",
            "blocked_at",
            "session_version",
            "failed_sign_ins",
            "updated_at",
        ]
    )
    coop.refresh_from_db(fields=["session_version"])
    after = {
        "situation": coop.situation,
        "block_reason": coop.block_reason,
        "block_note": coop.block_note,
    }
    action = "cooperado.bloqueado" if situation == Situation.BLOQUEADO else "cooperado.desbloqueado"
    audit_cooperado(
        actor=actor, action=action, cooperado=coop, changes=diff(before, after), motivo=note
    )
    return coop


def _required_note(note: str) -> str:
    note = " ".join((note or "").split())
    if not note:
        raise InvalidInput(_("Informe o motivo."), fields={"note": ["Informe o motivo."]})
    return note


@transaction.atomic
def cooperado_block(*, actor: Actor, cooperado_id: int, note: str) -> Cooperado:
    """Block the app access (with a mandatory reason); open app sessions end at once."""
    note = _required_note(note)
    coop = lock_cooperado(actor, cooperado_id)
    return apply_situation(
        actor=actor, coop=coop, situation=Situation.BLOQUEADO, reason=BlockReason.ADMIN, note=note
    )


@transaction.atomic
def cooperado_unblock(*, actor: Actor, cooperado_id: int, note: str) -> Cooperado:
    """Unblock (whatever blocked it: the gestor, failed sign-ins or A400); clears the failure count."""
    note = _required_note(note)
    coop = lock_cooperado(actor, cooperado_id)
    return apply_situation(actor=actor, coop=coop, situation=Situation.ATIVO, note=note)


# --- Password -----------------------------------------------------------------
def _validate_new_password(coop: Cooperado, password: str) -> None:
    # Django's validators look at these attributes for "too similar to" checks, and name
    # the one that matched by its model field (`user._meta`): an unsaved User carries both
    # (a plain object made that message a 500).
    person = get_user_model()(
        username=coop.login, first_name=coop.full_name[:150], last_name="", email=coop.login_email
    )
    try:
        validate_password(password or "", user=person)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], fields={"password": exc.messages}) from None


def store_password(coop: Cooperado, password: str, *, must_change: bool) -> None:
    """Hash and save a validated password; the caller holds the row lock."""
    _validate_new_password(coop, password)
    coop.password = make_password(password)
    coop.must_change_password = must_change
    coop.password_changed_at = timezone.now()
    coop.failed_sign_ins = 0
    coop.session_version = F("session_version") + 1
    coop.save(
        update_fields=[
            "password",
            "must_change_password",
            "password_changed_at",
            "failed_sign_ins",
            "session_version",
            "updated_at",
        ]
    )
    coop.refresh_from_db(fields=["session_version"])


@transaction.atomic
def cooperado_set_password(
    *, actor: Actor, cooperado_id: int, password: str, must_change: bool = False
) -> Cooperado:
    """A gestor sets a new password (Django's validators apply). With `must_change`
    the app asks the cooperado for a new one at the next sign-in."""
    coop = lock_cooperado(actor, cooperado_id)
    was = coop.must_change_password
    store_password(coop, password, must_change=must_change)
    changes = {"senha": ["(oculta)", "(nova)"]}
    if was != must_change:
        changes["must_change_password"] = [was, must_change]
    audit_cooperado(actor=actor, action="cooperado.senha_definida", cooperado=coop, changes=changes)
    return coop


class CooperadoTokenGenerator(PasswordResetTokenGenerator):
    """Single-use reset links: the hash covers the password and the last change, so
    the link dies once used (or once anyone changes the password)."""

    key_salt = "cooperados.services.CooperadoTokenGenerator"

    def _make_hash_value(self, coop, timestamp):
        changed = (
            coop.password_changed_at.replace(microsecond=0, tzinfo=None)
            if coop.password_changed_at
            else ""
        )
        return (
            f"{coop.pk}{coop.password}{changed}{coop.session_version}{timestamp}{coop.login_email}"
        )


reset_tokens = CooperadoTokenGenerator()


def reset_link(coop: Cooperado) -> str:
    uid = urlsafe_base64_encode(force_bytes(coop.pk))
    path = reverse("cooperados:reset_confirm", args=[uid, reset_tokens.make_token(coop)])
    return site_url(path)


def send_reset_email(coop: Cooperado) -> None:
    send_mail(
        subject=f"{coop.unimed.name} — defina sua senha do aplicativo Unimed Cooperado",
        message=(
            f"Olá, {coop.full_name}.\n\n"
            f"Para definir uma nova senha de acesso ao aplicativo (login {coop.login}), abra:\n"
            f"{reset_link(coop)}\n\n"
            "O link vale por tempo limitado e só pode ser usado uma vez. "
            "Se você não pediu, ignore esta mensagem."
        ),
        from_email=None,
        recipient_list=[coop.login_email],
    )


def send_blocked_email(coop: Cooperado) -> None:
    send_mail(
        subject=f"{coop.unimed.name} — seu acesso ao aplicativo Unimed Cooperado foi bloqueado",
        message=(
            f"Olá, {coop.full_name}.\n\n"
            f"O acesso ao aplicativo (login {coop.login}) foi bloqueado depois de várias tentativas "
            "seguidas com senha errada.\n\n"
            f"Se foi você, defina uma nova senha por este link, que também desbloqueia o acesso:\n"
            f"{reset_link(coop)}\n\n"
            "O link vale por tempo limitado e só pode ser usado uma vez. Se não foi você, alguém "
            "tentou entrar com o seu login: defina uma nova senha pelo link e, se quiser, avise a sua Unimed."
        ),
        from_email=None,
        recipient_list=[coop.login_email],
    )


@transaction.atomic
def cooperado_send_reset_link(*, actor: Actor, cooperado_id: int) -> Cooperado:
    """E-mail a single-use link to the login e-mail so the cooperado chooses the password."""
    coop = lock_cooperado(actor, cooperado_id)
    if not coop.login_email:
        raise InvalidInput(
            _("O cooperado não tem e-mail de login: cadastre-o em Dados gerais antes.")
        )
    # The outbox row (core.mail) commits with the audit entry and leaves once.
    send_reset_email(coop)
    audit_cooperado(
        actor=actor,
        action="cooperado.link_de_senha_enviado",
        cooperado=coop,
        destino=mask_email(coop.login_email),
    )
    return coop


def reset_target(uidb64: str, token: str) -> Cooperado:
    """The cooperado a reset link is for; an expired, used or forged link is NotFound."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        coop = Cooperado.objects.select_related("unimed").get(pk=pk)
    except (ValueError, TypeError, OverflowError, Cooperado.DoesNotExist):
        raise NotFound(_("Link inválido ou expirado. Peça um novo link.")) from None
    if not reset_tokens.check_token(coop, token):
        raise NotFound(_("Link inválido ou expirado. Peça um novo link."))
    return coop


@transaction.atomic
def cooperado_reset_password_confirm(*, uidb64: str, token: str, password: str) -> Cooperado:
    """The cooperado chooses a new password through the e-mailed link."""
    coop = reset_target(uidb64, token)
    coop = Cooperado.objects.select_for_update().select_related("unimed").get(pk=coop.pk)
    store_password(coop, password, must_change=False)
    audit_cooperado(
        actor=None,
        action="cooperado.senha_redefinida_pelo_link",
        cooperado=coop,
        changes={"senha": ["(oculta)", "(nova)"]},
    )
    if coop.is_blocked and coop.block_reason == BlockReason.FAILED_SIGN_INS:
        # Whoever holds the login e-mail proved it is theirs: the failures were not.
        apply_situation(
            actor=None,
            coop=coop,
            situation=Situation.ATIVO,
            note="Desbloqueado pelo link de nova senha enviado ao e-mail de login.",
        )
    return coop
