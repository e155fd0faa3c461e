"""Bulk actions: each protocol through the same service, one result line per protocol
(ok or the service's pt-BR refusal); a failing protocol does not stop the others."""

import pytest

from core.errors import Forbidden, InvalidInput, NotFound
from core.jobs import JobStatus
from protocols.models import EventKind, Protocol, Status
from protocols.services import (
    protocol_answer,
    protocol_bulk_get,
    protocol_bulk_request,
)
from tests.factories import staff_user
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


def test_bulk_forward_reports_each_row_with_one_failure(
    network, open_protocol, django_capture_on_commit_callbacks
):
    actor = actor_for_user(staff_user(network["0137"], "atendente"))
    protocols = [open_protocol() for _ in range(3)]
    protocol_answer(actor=actor, protocol=protocols[1], message="Já respondido.")
    numbers = [p.number for p in protocols] + ["32283120990101000001"]
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery: runs on commit
        job = protocol_bulk_request(
            actor=actor,
            action="encaminhar",
            numbers=numbers,
            params={"to_unimed_code": "0025", "message": "Área da 0025."},
        )
    job = protocol_bulk_get(actor=actor, job_id=job.pk)
    assert job.status == JobStatus.DONE and job.processed == 4 and job.percent == 100
    assert [line["ok"] for line in job.results] == [True, False, True, False]
    assert "respondido" in job.results[1]["mensagem"]
    assert job.results[3]["mensagem"] == "Protocolo não encontrado."
    assert job.failed_count == 2
    moved = Protocol.objects.filter(pk__in=[protocols[0].pk, protocols[2].pk])
    assert {p.responsible_unimed.code for p in moved} == {"0025"}
    assert {p.status for p in moved} == {Status.ENCAMINHADO}
    # Another Unimed's staff cannot read the job.
    with pytest.raises(NotFound):
        protocol_bulk_get(actor=actor_for_user(staff_user(network["0025"])), job_id=job.pk)


def test_bulk_note_and_answer_and_assign_rules(
    network, open_protocol, django_capture_on_commit_callbacks
):
    unimed = network["0137"]
    attendant = actor_for_user(staff_user(unimed, "atendente"))
    first, second = open_protocol(), open_protocol()
    numbers = [first.number, second.number]
    with django_capture_on_commit_callbacks(execute=True):
        protocol_bulk_request(
            actor=attendant, action="nota", numbers=numbers, params={"message": "Ligar amanhã."}
        )
    assert first.events.filter(kind=EventKind.NOTA_INTERNA).count() == 1
    with pytest.raises(InvalidInput):
        protocol_bulk_request(actor=attendant, action="responder", numbers=numbers, params={})
    with django_capture_on_commit_callbacks(execute=True):
        job = protocol_bulk_request(
            actor=attendant,
            action="responder",
            numbers=numbers,
            params={"message": "Autorizado."},
        )
    assert all(line["ok"] for line in protocol_bulk_get(actor=attendant, job_id=job.pk).results)
    assert Protocol.objects.get(pk=second.pk).status == Status.RESPONDIDO
    colleague = staff_user(unimed, "atendente")
    with pytest.raises(Forbidden):  # assigning others is a supervisor's
        protocol_bulk_request(
            actor=attendant, action="atribuir", numbers=numbers, params={"owner_id": colleague.pk}
        )
    supervisor = actor_for_user(staff_user(unimed, "supervisor"))
    with pytest.raises(NotFound):  # someone of another Unimed
        protocol_bulk_request(
            actor=supervisor,
            action="atribuir",
            numbers=numbers,
            params={"owner_id": staff_user(network["0025"]).pk},
        )
    with pytest.raises(InvalidInput):
        protocol_bulk_request(actor=supervisor, action="nota", numbers=[], params={"message": "x"})
