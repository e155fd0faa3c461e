"""Idempotent processing of incoming GPU messages.

A message is keyed by (origin Unimed, nr_transacao_prestadora). Its InboundMessage
row is inserted first, inside the transaction that does the work: a simultaneous
copy blocks on the unique index until the first commits, then reads the stored
answer. A failed message leaves no row (the transaction rolls back), so the sender
may correct it and send again with the same id.
"""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction

from core.errors import Conflict
from protocols.models import InboundMessage, Protocol
from unimeds.actors import Actor

Work = Callable[[], tuple[int, dict, Protocol | None]]


def body_digest(data) -> str:
    """Hash of the message content, independent of key order and spacing."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _replay(actor: Actor, transaction_id: str, digest: str) -> tuple[int, dict]:
    first = InboundMessage.objects.get(unimed=actor.unimed, transaction_id=transaction_id)
    if first.body_sha256 != digest:
        message = (f"A transação {transaction_id} da Unimed {actor.unimed.code} já foi recebida com outro "
                   f"conteúdo ({first.operation}). Use um novo nr_transacao_prestadora.")
        raise Conflict(message, code="transacao_repetida",
                       fields={"cabecalho_transacao.nr_transacao_prestadora": [message]})
    return first.response_status, first.response_body


def inbound_process(*, actor: Actor, operation: str, transaction_id: str, data, work: Work) -> tuple[int, dict]:
    """Run `work` once per (actor's Unimed, transaction_id); repeats get the first answer."""
    digest = body_digest(data)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = InboundMessage.objects.create(
                    unimed=actor.unimed, transaction_id=transaction_id, operation=operation, body_sha256=digest,
                )
        except IntegrityError:
            replay = True
        else:
            replay = False
            status, answer, protocol = work()
            InboundMessage.objects.filter(pk=record.pk).update(
                response_status=status, response_body=answer, protocol=protocol,
            )
    if replay:
        return _replay(actor, transaction_id, digest)
    return status, answer
