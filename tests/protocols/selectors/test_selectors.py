"""Tenant scoping: only the origin, responsible or serving Unimed reads a protocol."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import InvalidInput, NotFound
from protocols.selectors import (
    attachment_get,
    categories_for,
    protocol_get,
    protocol_inbox,
    protocol_public_lookup,
    protocol_search,
    protocol_timeline,
    protocols_opened,
    protocols_visible,
)
from protocols.services import protocol_answer, protocol_forward, protocol_note
from tests.factories import UnimedFactory
from unimeds.actors import system_actor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%demo\n"


@pytest.fixture
def scene(open_protocol, staff_actor, network):
    """Opened by 0666 staff, 0137 responsible (card), 0025 serving; 0667 is a stranger."""
    UnimedFactory(code="0667", ans_registry="366701", uf="RS")
    network["0667"] = network["0137"].__class__.objects.get(code="0667")
    actors = {code: staff_actor(code) for code in ("0137", "0666", "0025", "0667")}
    protocol = open_protocol(
        actor=actors["0666"], channel="CONTINGENCIA", serving_unimed_code="0025"
    )
    event = protocol_answer(
        actor=actors["0137"],
        protocol=protocol,
        message="Segue o laudo.",
        conclusive=False,
        attachments=[SimpleUploadedFile("laudo.pdf", PDF)],
    )
    return protocol, actors, event.attachments.get()


@pytest.mark.parametrize("code", ["0137", "0666", "0025"])
def test_involved_unimeds_read_it(scene, code):
    protocol, actors, attachment = scene
    actor = actors[code]
    assert protocol_get(actor=actor, number=protocol.number) == protocol
    assert list(protocols_visible(actor=actor)) == [protocol]
    assert list(protocol_search(actor=actor, document="529.982.247-25")) == [protocol]
    assert attachment_get(actor=actor, attachment_id=attachment.pk) == attachment
    assert protocol_timeline(actor=actor, protocol=protocol).count() == 2


def test_a_stranger_reads_nothing_through_any_selector(scene):
    protocol, actors, attachment = scene
    stranger = actors["0667"]
    with pytest.raises(NotFound):
        protocol_get(actor=stranger, number=protocol.number)
    with pytest.raises(NotFound):
        protocol_get(actor=stranger, pk=protocol.pk)
    with pytest.raises(NotFound):
        protocol_timeline(actor=stranger, protocol=protocol)
    with pytest.raises(NotFound):
        attachment_get(actor=stranger, attachment_id=attachment.pk)
    assert not protocols_visible(actor=stranger).exists()
    assert not protocol_inbox(actor=stranger).exists()
    assert not protocols_opened(actor=stranger).exists()
    assert not protocol_search(actor=stranger, number=protocol.number).exists()
    assert not protocol_search(actor=stranger, document=protocol.requester_cpf).exists()


def test_inbox_and_opened_lists(scene):
    protocol, actors, _ = scene
    assert list(protocol_inbox(actor=actors["0137"])) == [protocol]
    assert not protocol_inbox(actor=actors["0666"]).exists()
    assert list(protocols_opened(actor=actors["0666"])) == [protocol]
    assert not protocols_opened(actor=actors["0137"]).exists()


def test_internal_notes_stay_with_their_unimed(scene):
    protocol, actors, _ = scene
    protocol_note(actor=actors["0137"], protocol=protocol, message="Auditor vai ligar.")
    kinds = {
        code: [e.kind for e in protocol_timeline(actor=actors[code], protocol=protocol)]
        for code in ("0137", "0666")
    }
    assert "nota_interna" in kinds["0137"] and "nota_interna" not in kinds["0666"]
    assert protocol_timeline(actor=system_actor(), protocol=protocol).count() == 3


def test_forward_keeps_the_former_responsible_reading(scene):
    protocol, actors, _ = scene
    protocol_forward(
        actor=actors["0137"], protocol=protocol, to_unimed_code="0667", reason="Contrato migrado"
    )
    assert protocol_get(actor=actors["0137"], number=protocol.number) == protocol
    assert protocol_get(actor=actors["0667"], number=protocol.number) == protocol
    assert list(protocol_inbox(actor=actors["0667"])) == [protocol]
    assert not protocol_inbox(actor=actors["0137"]).exists()


def test_public_lookup_needs_the_requester_data(scene, portal):
    protocol, _, attachment = scene
    assert protocol_public_lookup(number=protocol.number, document="529.982.247-25") == protocol
    assert (
        protocol_public_lookup(number=protocol.number, document="MARIA@example.com.br") == protocol
    )
    assert protocol_public_lookup(number=protocol.number, document="0137 0000000000006") == protocol
    for wrong in ("390.533.447-05", "outra@example.com.br", "abc"):
        with pytest.raises(NotFound):
            protocol_public_lookup(number=protocol.number, document=wrong)
    with pytest.raises(InvalidInput):
        protocol_public_lookup(number="123", document="52998224725")
    assert [e.kind for e in protocol_timeline(actor=portal, protocol=protocol)] == [
        "aberto",
        "resposta_parcial",
    ]
    assert not protocols_visible(actor=portal).exists()
    with pytest.raises(NotFound):
        attachment_get(actor=portal, attachment_id=attachment.pk)


def test_catalog_reads():
    assert [c.code for c in categories_for("M")] == [7]
