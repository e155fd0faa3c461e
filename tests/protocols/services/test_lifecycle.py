"""Lifecycle: allowed transitions write exactly one event, refused ones write none."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from protocols.models import Category, EventKind, ImmutableError, ProtocolEvent, Status
from protocols.services import (
    protocol_answer,
    protocol_cancel,
    protocol_close,
    protocol_complement,
    protocol_forward,
    protocol_note,
    protocol_reclassify,
    protocol_recompute_deadline,
    protocol_reopen,
)
from unimeds.actors import system_actor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


def _events(protocol):
    return list(ProtocolEvent.objects.filter(protocol=protocol).order_by("seq"))


@pytest.fixture
def case(open_protocol, staff_actor):
    """A protocol opened by 0666 staff for a 0137 card; 0137 staff answer it."""
    origin = staff_actor("0666")
    protocol = open_protocol(actor=origin, channel="CONTINGENCIA")
    return protocol, origin, staff_actor("0137")


def test_happy_path_each_step_writes_one_event(case):
    protocol, origin, responsible = case
    steps = [
        (
            lambda: protocol_answer(
                actor=responsible,
                protocol=protocol,
                message="Estamos verificando.",
                conclusive=False,
            ),
            Status.EM_ANALISE,
            EventKind.RESPOSTA_PARCIAL,
        ),
        (
            lambda: protocol_complement(
                actor=origin, protocol=protocol.number, message="Segue o pedido médico."
            ),
            Status.EM_ANALISE,
            EventKind.COMPLEMENTO,
        ),
        (
            lambda: protocol_note(
                actor=responsible, protocol=protocol.pk, message="Ligar para o prestador."
            ),
            Status.EM_ANALISE,
            EventKind.NOTA_INTERNA,
        ),
        (
            lambda: protocol_answer(actor=responsible, protocol=protocol, message="Autorizado."),
            Status.RESPONDIDO,
            EventKind.RESPOSTA,
        ),
        (
            lambda: protocol_close(actor=origin, protocol=protocol),
            Status.ENCERRADO,
            EventKind.ENCERRADO,
        ),
        (
            lambda: protocol_reopen(
                actor=origin, protocol=protocol, reason="Beneficiário pediu reanálise."
            ),
            Status.REABERTO,
            EventKind.REABERTO,
        ),
        (
            lambda: protocol_cancel(
                actor=responsible, protocol=protocol, reason="Duplicado do protocolo X."
            ),
            Status.CANCELADO,
            EventKind.CANCELADO,
        ),
    ]
    for run, status, kind in steps:
        before = len(_events(protocol))
        event = run()
        events = _events(protocol)
        assert len(events) == before + 1
        assert events[-1] == event and event.kind == kind and event.to_status == status
        protocol.refresh_from_db()
        assert protocol.status == status
    assert [e.seq for e in _events(protocol)] == list(range(1, 9))


def test_partial_answer_never_stops_the_clock(case):
    protocol, _, responsible = case
    protocol_answer(actor=responsible, protocol=protocol, message="Em análise.", conclusive=False)
    protocol.refresh_from_db()
    assert protocol.answered_at is None and protocol.is_open
    event = protocol_answer(actor=responsible, protocol=protocol, message="Resposta final.")
    protocol.refresh_from_db()
    assert protocol.answered_at is not None and not protocol.is_open
    assert event.payload["id_sistema"] == 2 and event.payload["on_time"] is True


@pytest.mark.parametrize(
    ("setup", "attempt"),
    [
        ([], lambda p, o, r: protocol_close(actor=r, protocol=p)),  # aberto → encerrado
        (
            [],
            lambda p, o, r: protocol_reopen(actor=o, protocol=p, reason="Quero reanálise"),
        ),  # aberto → reaberto
        (
            ["answer"],
            lambda p, o, r: protocol_answer(actor=r, protocol=p, message="De novo"),
        ),  # respondido → respondido
        (["answer"], lambda p, o, r: protocol_cancel(actor=r, protocol=p, reason="Não dá mais")),
        (
            ["answer"],
            lambda p, o, r: protocol_complement(actor=o, protocol=p, message="Mais dados"),
        ),
        (
            ["cancel"],
            lambda p, o, r: protocol_reopen(actor=o, protocol=p, reason="Quero reanálise"),
        ),
        (
            ["cancel"],
            lambda p, o, r: protocol_forward(
                actor=r, protocol=p, to_unimed_code="0025", reason="Área da 0025"
            ),
        ),
        (["cancel"], lambda p, o, r: protocol_answer(actor=r, protocol=p, message="Tarde demais")),
    ],
)
def test_invalid_transitions_are_refused_without_event(case, setup, attempt):
    protocol, origin, responsible = case
    if "answer" in setup:
        protocol_answer(actor=responsible, protocol=protocol, message="Autorizado.")
    if "cancel" in setup:
        protocol_cancel(actor=origin, protocol=protocol, reason="Aberto por engano.")
    protocol.refresh_from_db()
    status, count = protocol.status, len(_events(protocol))

    with pytest.raises(InvalidTransition) as caught:
        attempt(protocol, origin, responsible)

    assert caught.value.code == "transicao_invalida" and protocol.number in caught.value.message
    protocol.refresh_from_db()
    assert protocol.status == status and len(_events(protocol)) == count


def test_only_the_responsible_answers_and_outsiders_do_not_see_it(case, staff_actor):
    protocol, origin, _ = case
    with pytest.raises(Forbidden):
        protocol_answer(actor=origin, protocol=protocol, message="Eu respondo")
    with pytest.raises(NotFound):
        protocol_answer(actor=staff_actor("0025"), protocol=protocol, message="Intrusa")
    assert len(_events(protocol)) == 1


def test_forward_moves_responsibility_and_keeps_the_deadline(case, network, staff_actor):
    protocol, origin, responsible = case
    due = protocol.due_date
    event = protocol_forward(
        actor=responsible,
        protocol=protocol,
        to_unimed_code="0025",
        reason="Beneficiário em atendimento na área da 0025",
    )
    protocol.refresh_from_db()
    assert protocol.responsible_unimed == network["0025"] and protocol.status == Status.ENCAMINHADO
    assert protocol.due_date == due
    assert event.payload == {
        "from_unimed": "0137",
        "to_unimed": "0025",
        "due_date": due.isoformat(),
    }
    # the new responsible answers; the former one no longer may
    with pytest.raises(Forbidden):
        protocol_answer(actor=responsible, protocol=protocol, message="Ainda eu")
    protocol_answer(actor=staff_actor("0025"), protocol=protocol, message="Resolvido.")


def test_cancel_requires_a_reason(case):
    protocol, origin, _ = case
    with pytest.raises(InvalidInput) as caught:
        protocol_cancel(actor=origin, protocol=protocol, reason="  ")
    assert "reason" in caught.value.fields
    assert len(_events(protocol)) == 1


def test_reopen_keeps_the_number_and_restarts_the_deadline(open_protocol, staff_actor):
    origin, responsible = staff_actor("0666"), staff_actor("0137")
    with time_machine.travel(datetime(2026, 4, 1, 13, 0, tzinfo=UTC), tick=False):
        protocol = open_protocol(actor=origin, channel="CONTINGENCIA")
        protocol_answer(actor=responsible, protocol=protocol, message="Autorizado.")
    assert protocol.due_date == date(2026, 4, 9)  # DOMAIN.md: 2026-04-01 + 5 (Good Friday 03/04)
    with time_machine.travel(datetime(2026, 11, 13, 13, 0, tzinfo=UTC), tick=False):
        event = protocol_reopen(
            actor=origin, protocol=protocol, reason="Pediu reanálise na Ouvidoria."
        )
    protocol.refresh_from_db()
    assert (
        protocol.number[6:14] == "20260401"
        and protocol.answered_at is None
        and protocol.reopen_count == 1
    )
    assert protocol.deadline_start == date(2026, 11, 13)
    assert protocol.due_date == date(2026, 11, 23)  # 5 business days; 20/11 is a holiday
    assert (
        event.payload["previous_due_date"] == "2026-04-09"
        and event.payload["due_date"] == "2026-11-23"
    )


def test_recompute_deadline_is_an_event_only_when_it_changes(case):
    protocol, _, responsible = case
    assert (
        protocol_recompute_deadline(actor=responsible, protocol=protocol, reason="Conferência")
        is None
    )
    Category.objects.filter(code=2).update(deadline_days=3)
    event = protocol_recompute_deadline(actor=responsible, protocol=protocol, reason="RN alterada")
    protocol.refresh_from_db()
    assert event.kind == EventKind.PRAZO_RECALCULADO
    assert event.payload["due_date"] == protocol.due_date.isoformat()
    assert event.payload["previous_deadline_days"] == 5 and protocol.deadline_days == 3


def test_reclassify_to_urgency_makes_it_due_on_the_request_day(case):
    protocol, _, responsible = case
    event = protocol_reclassify(
        actor=responsible,
        protocol=protocol,
        manifestation_type="S",
        category=5,
        reason="É urgência",
    )
    protocol.refresh_from_db()
    assert protocol.due_date == protocol.opened_on and protocol.deadline_rule == "imediato"
    assert event.payload["previous"]["category"] == 2


def test_answer_with_attachment_and_bad_attachment_refused(case, settings):
    protocol, _, responsible = case
    event = protocol_answer(
        actor=responsible,
        protocol=protocol,
        message="Segue a guia.",
        attachments=[SimpleUploadedFile("guia.pdf", PDF, "application/pdf")],
    )
    attachment = event.attachments.get()
    assert attachment.size == len(PDF) and attachment.content_type == "application/pdf"
    assert "guia" not in attachment.file.name  # stored under a random name

    settings.GPU_ATTACHMENT_MAX_BYTES = 10
    protocol_reopen(actor=responsible, protocol=protocol, reason="Reanálise interna")
    count = len(_events(protocol))
    for upload, message in [
        (SimpleUploadedFile("a.exe", b"MZ...", "application/octet-stream"), "tipo não aceito"),
        (SimpleUploadedFile("b.pdf", PDF, "application/pdf"), "limite"),
        (SimpleUploadedFile("c.png", b"%PDF", "image/png"), "não é um arquivo PNG"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            protocol_answer(actor=responsible, protocol=protocol, message="x", attachments=[upload])
        assert message in caught.value.fields["attachments"][0]
    assert len(_events(protocol)) == count


def test_events_are_immutable(case):
    protocol, _, _ = case
    event = protocol.events.get()
    event.message = "alterado"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()


def test_system_actor_may_close_and_event_names_it(case):
    protocol, _, responsible = case
    protocol_answer(actor=responsible, protocol=protocol, message="Ok")
    event = protocol_close(
        actor=system_actor(), protocol=protocol, message="Encerrado automaticamente."
    )
    assert event.actor_label == "system" and event.actor_unimed is None
