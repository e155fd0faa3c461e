"""Bulk actions on protocols picked in the inbox (selected rows or everything matching
the filter): assign, forward, internal note, conclusive answer. The request queues a
job; a worker runs each protocol through the same service as one at a time, with the
requester's own rights checked again, and keeps one result line per protocol (ok, or
the service's pt-BR refusal). One failing protocol never stops the others.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, Forbidden, InvalidInput, NotFound
from core.jobs import JobStatus, job_move
from core.services import audit_record
from core.tasks_util import enqueue_now, enqueue_on_commit
from protocols.models import BulkAction, ProtocolBulkJob
from protocols.services.assignment import assignable_people, protocol_assign
from protocols.services.lifecycle import protocol_answer, protocol_forward, protocol_note
from protocols.timeline import message_text
from unimeds.actors import Actor, actor_for_user
from unimeds.models import Level, Module
from unimeds.selectors import unimed_by_code

logger = logging.getLogger(__name__)

BULK_MAX = 1000  # past this, refine the filter
SAVE_EVERY = 20  # result lines written per progress update


def _answer(actor: Actor, number: str, params: dict):
    # The message text is what the form (or, later, an answer template) produced.
    return protocol_answer(actor=actor, protocol=number, message=params["message"])


# action → the service one protocol goes through.
BULK_CALLS = {
    BulkAction.ASSIGN: lambda a, n, p: protocol_assign(
        actor=a, protocol=n, owner_id=p["owner_id"], note=p.get("message", "")
    ),
    BulkAction.FORWARD: lambda a, n, p: protocol_forward(
        actor=a, protocol=n, to_unimed_code=p["to_unimed_code"], reason=p["message"]
    ),
    BulkAction.NOTE: lambda a, n, p: protocol_note(actor=a, protocol=n, message=p["message"]),
    BulkAction.ANSWER: _answer,
}
OK_TEXT = {
    BulkAction.ASSIGN: "Atribuído.",
    BulkAction.FORWARD: "Encaminhado.",
    BulkAction.NOTE: "Nota registrada.",
    BulkAction.ANSWER: "Respondido.",
}


def _fail(field: str, message: str):
    raise InvalidInput(message, fields={field: [message]})


def _clean_params(actor: Actor, action: str, params: dict) -> dict:
    """What the action needs, checked once before queueing (the services check again)."""
    message, problem = message_text(params.get("message"), required=None)
    if problem:
        _fail("message", problem)
    if action == BulkAction.ASSIGN:
        actor.require(Module.PROTOCOLOS, Level.ADMINISTRAR)
        try:
            owner_id = int(str(params.get("owner_id") or "").strip())
        except ValueError:
            _fail("owner_id", "Escolha a pessoa.")
        if owner_id not in {p.pk for p in assignable_people(actor.unimed)}:
            raise NotFound(_("Pessoa não encontrada nesta Unimed."))
        return {"owner_id": owner_id, "message": message}
    if action == BulkAction.FORWARD:
        code = str(params.get("to_unimed_code") or "").strip()
        if unimed_by_code(code) is None:
            _fail("to_unimed_code", "Escolha a Unimed de destino.")
        if len(message) < 5:
            _fail("message", "Informe o motivo do encaminhamento.")
        return {"to_unimed_code": code, "message": message}
    if not message:
        _fail(
            "message", "Escreva a resposta." if action == BulkAction.ANSWER else "Escreva a nota."
        )
    return {"message": message}


@transaction.atomic
def protocol_bulk_request(
    *, actor: Actor, action: str, numbers: list[str], params: dict
) -> ProtocolBulkJob:
    """Queue a bulk action over `numbers` (the rows picked, or every protocol matching the
    inbox filter, resolved by the caller through the inbox selector)."""
    actor.require(Module.PROTOCOLOS, Level.OPERAR)
    if actor.user is None or actor.unimed is None:
        raise Forbidden(_("Ações em lote são feitas por uma pessoa de uma Unimed."))
    if action not in BulkAction.values:
        _fail("action", "Escolha a ação.")
    chosen = list(dict.fromkeys(str(n).strip() for n in numbers if str(n).strip()))
    if not chosen:
        _fail("protocolos", "Selecione ao menos um protocolo.")
    if len(chosen) > BULK_MAX:
        _fail("protocolos", f"No máximo {BULK_MAX} protocolos por lote: refine o filtro.")
    clean = _clean_params(actor, action, params)
    job = ProtocolBulkJob.objects.create(
        unimed=actor.unimed,
        action=action,
        params=clean,
        selection=chosen,
        total=len(chosen),
        requested_by=actor.user,
        requested_by_label=actor.label,
    )
    audit_record(
        actor=actor,
        action="protocolos.lote_pedido",
        target_type="ProtocolBulkJob",
        target_id=job.pk,
        data={"acao": action, "quantidade": len(chosen)},
    )
    from protocols.tasks import bulk_job_run_task

    enqueue_on_commit(bulk_job_run_task, job.pk)  # the sweep re-enqueues it if lost
    return job


def _save(job_id: int, processed: int, results: list) -> None:
    ProtocolBulkJob.objects.filter(pk=job_id).update(processed=processed, results=results)


def protocol_bulk_run(*, job_id: int) -> ProtocolBulkJob | None:
    """Run a queued job (claimed with a compare-and-set: a second worker returns at once)."""
    if not job_move(ProtocolBulkJob, job_id, JobStatus.RUNNING, started_at=timezone.now()):
        return ProtocolBulkJob.objects.filter(pk=job_id).first()
    job = ProtocolBulkJob.objects.select_related("requested_by").get(pk=job_id)
    actor = actor_for_user(job.requested_by) if job.requested_by else None
    if actor is None or actor.unimed_id != job.unimed_id:
        job_move(
            ProtocolBulkJob,
            job_id,
            JobStatus.FAILED,
            finished_at=timezone.now(),
            error="Quem pediu o lote não tem mais acesso a esta Unimed.",
        )
        return ProtocolBulkJob.objects.get(pk=job_id)
    call, results = BULK_CALLS[job.action], []
    for number in job.selection:
        try:
            with transaction.atomic():
                call(actor, number, job.params)
            results.append({"numero": number, "ok": True, "mensagem": OK_TEXT[job.action]})
        except DomainError as exc:
            results.append({"numero": number, "ok": False, "mensagem": exc.message})
        except Exception:  # noqa: BLE001 - one protocol's failure must not stop the batch
            logger.exception("lote %s: protocolo %s", job_id, number)
            results.append(
                {"numero": number, "ok": False, "mensagem": "Erro inesperado; tente de novo."}
            )
        if len(results) % SAVE_EVERY == 0:
            _save(job_id, len(results), results)
    _save(job_id, len(results), results)
    job_move(ProtocolBulkJob, job_id, JobStatus.DONE, finished_at=timezone.now())
    failed = sum(1 for line in results if not line["ok"])
    audit_record(
        actor=actor,
        action="protocolos.lote_concluido",
        target_type="ProtocolBulkJob",
        target_id=job_id,
        data={"acao": job.action, "ok": len(results) - failed, "falhas": failed},
    )
    return ProtocolBulkJob.objects.get(pk=job_id)


def protocol_bulk_get(*, actor: Actor, job_id: int) -> ProtocolBulkJob:
    """A job of the actor's Unimed; NotFound otherwise."""
    job = ProtocolBulkJob.objects.filter(pk=job_id, unimed_id=actor.unimed_id or 0).first()
    if job is None:
        raise NotFound(_("Lote não encontrado."))
    return job


def protocol_bulk_sweep(*, now=None) -> int:
    """Periodic: re-enqueue jobs still pending a minute after they were asked for."""
    from protocols.tasks import bulk_job_run_task

    now = now or timezone.now()
    waiting = ProtocolBulkJob.objects.filter(
        status=JobStatus.PENDING, created_at__lt=now - timedelta(minutes=1)
    ).values_list("pk", flat=True)[:100]
    return sum(enqueue_now(bulk_job_run_task, pk) for pk in waiting)
