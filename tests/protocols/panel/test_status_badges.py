"""One colour per status (core.labels.STATUS_BADGES): the same status draws the same
badge on every page that shows it."""

import re

from protocols.models import Status
from protocols.services import protocol_answer
from unimeds.actors import actor_for_user


def badge_classes(html: str, value: str) -> set[str]:
    return set(re.findall(rf'<span class="badge ([^"]+)" data-situacao="{value}">', html))


def test_answered_protocol_has_one_badge_colour_on_inbox_home_and_page(
    client_for, contingency_protocol
):
    protocol = contingency_protocol()
    client, user = client_for("0137", "supervisor")
    protocol_answer(
        actor=actor_for_user(user), protocol=protocol, message="Autorizado.", conclusive=True
    )
    protocol.refresh_from_db()
    assert protocol.status == Status.RESPONDIDO
    inbox = client.get("/painel/protocolos/", {"aba": "recebidos"}).content.decode()
    detail = client.get(f"/painel/protocolos/{protocol.number}/").content.decode()
    on_inbox, on_page = badge_classes(inbox, "respondido"), badge_classes(detail, "respondido")
    assert on_inbox == on_page == {"text-bg-success"}
    # The requester's other protocols (on another protocol's page) draw it the same way.
    other = contingency_protocol()
    history = client.get(f"/painel/protocolos/{other.number}/").content.decode()
    assert badge_classes(history, "respondido") == {"text-bg-success"}
