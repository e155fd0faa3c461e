"""Idempotent processing of incoming GPU messages.

A message is keyed by (origin Unimed, nr_transacao_prestadora). Its InboundMessage
row is inserted first (INSERT … ON CONFLICT DO NOTHING), inside the transaction that
does the work: a simultaneous copy blocks on the unique index until the first
commits, then reads the stored answer. A failed message leaves no row (the transaction rolls back), so the sender
may correct it and send again with the same id.
"""

import hashlib
import json
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from core.db import insert_new
from core.errors import Conflict
from protocols.models import InboundMessage, Protocol
from unimeds.actors import Actor

Work = Callable[[], tuple[int, dict, Protocol | None]]


def body_digest(data) -> str:
    """Hash of the message content, independent of key order and spacing."""
    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _replay(actor: Actor, transaction_id: str, digest: str) -> tuple[int, dict]:
    first = InboundMessage.objects.get(unimed=actor.unimed, transaction_id=transaction_id)
    if first.body_sha256 != digest:
        message = (
            f"A transação {transaction_id} da Unimed {actor.unimed.code} já foi recebida com outro "
            f"conteúdo ({first.operation}). Use um novo nr_transacao_prestadora."
        )
        raise Conflict(
            message,
            code="transacao_repetida",
            fields={"cabecalho_transacao.nr_transacao_prestadora": [message]},
        )
    return first.response_status, first.response_body


def _claim(actor: Actor, transaction_id: str, operation: str, digest: str) -> int | None:
    """Insert the message's row; its id, or None when the key exists. One round trip
    (no savepoint: ON CONFLICT DO NOTHING); a simultaneous insert of the same key waits
    here for the first transaction to end, then sees its row."""
    row = InboundMessage(
        unimed=actor.unimed,
        transaction_id=transaction_id,
        operation=operation,
        body_sha256=digest,
        response_status=0,
        response_body=None,
        received_at=timezone.now(),
    )
    return row.pk if insert_new(row, skip_conflicts=True) else None


def _answer(record_id: int, status: int, answer: dict, protocol: Protocol | None) -> None:
    """Store the first answer on the message's row (one prepared UPDATE: the ORM would
    compile it anew on every call of the hot path)."""
    body = InboundMessage._meta.get_field("response_body").get_db_prep_save(answer, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {InboundMessage._meta.db_table} SET response_status = %s, response_body = %s, "  # noqa: S608
            "protocol_id = %s WHERE id = %s",
            [status, body, protocol.pk if protocol is not None else None, record_id],
        )


def inbound_process(
    *, actor: Actor, operation: str, transaction_id: str, data, work: Work
) -> tuple[int, dict]:
    """Run `work` once per (actor's Unimed, transaction_id); repeats get the first answer."""
    digest = body_digest(data)
    # Nothing inside catches an error: the message is all or nothing.
    with transaction.atomic():
        record_id = _claim(actor, transaction_id, operation, digest)
        if record_id is not None:
            status, answer, protocol = work()
            _answer(record_id, status, answer, protocol)
    if record_id is None:
        return _replay(actor, transaction_id, digest)
    return status, answer
