"""Reads of the portal. A visitor has no Unimed: they reach a protocol only through a
signed confirmation token (just after opening it) or the number plus their own data
(protocols.selectors.protocol_public_lookup)."""

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.errors import NotFound
from protocols.models import EventKind, Protocol, ProtocolEvent
from protocols.selectors import protocol_timeline
from unimeds.actors import Actor

_SALT = "portal.confirmacao"
# Public events whose text is written to the requester; other public events (a forward
# between Unimeds, a recomputed deadline) show only what happened.
MESSAGE_KINDS = frozenset(
    {
        EventKind.ABERTO,
        EventKind.RESPOSTA_PARCIAL,
        EventKind.RESPOSTA,
        EventKind.COMPLEMENTO,
        EventKind.CANCELADO,
        EventKind.ENCERRADO,
        EventKind.REABERTO,
    }
)


def confirmation_token(protocol: Protocol) -> str:
    return signing.dumps(protocol.pk, salt=_SALT, compress=True)


def protocol_for_confirmation(*, token: str) -> Protocol:
    """The protocol a fresh confirmation token names; NotFound when forged or expired."""
    try:
        pk = signing.loads(token, salt=_SALT, max_age=settings.GPU_PORTAL_CONFIRMATION_TTL_SECONDS)
        return Protocol.objects.select_related(
            "responsible_unimed", "manifestation_type", "category"
        ).get(pk=pk)
    except (signing.BadSignature, Protocol.DoesNotExist, TypeError, ValueError):
        raise NotFound(
            _("Esta confirmação expirou ou não existe. Consulte o protocolo pelo número.")
        ) from None


def public_events(*, actor: Actor, protocol: Protocol) -> QuerySet[ProtocolEvent]:
    return protocol_timeline(actor=actor, protocol=protocol).filter(public=True)
