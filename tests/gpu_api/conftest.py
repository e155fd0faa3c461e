"""Fixtures for the integration API: a network with areas, integrated Unimeds with
local receivers, and GPU messages built from the shared fixture."""

import json
from pathlib import Path

import pytest

from tests.factories import UnimedFactory
from unimeds.services import unimed_set_area

FIXTURE = Path(__file__).resolve().parents[2] / "gpu_api" / "examples" / "solicitarProtocolo.json"
SECRET = "segredo-de-teste-0137"
SECRET_ORIGIN = "segredo-de-teste-0025"


def solicitar_message(tx: str = "0000000042", **body) -> dict:
    """The shared fixture message, with its transaction id and body fields overridden."""
    message = json.loads(FIXTURE.read_text())
    message["cabecalho_transacao"]["nr_transacao_prestadora"] = tx
    message["solicitar_protocolo"].update(body)
    return message


@pytest.fixture
def network(unimed, other_unimed):
    """0137 (SP) and 0025 (SC, Florianópolis 4205407) with areas; 0666 (PR)."""
    third = UnimedFactory(code="0666", ans_registry="366601", name="Unimed Teste 0666", uf="PR")
    unimed_set_area(unimed=unimed, municipality_codes=["3550308"])
    unimed_set_area(unimed=other_unimed, municipality_codes=["4205407"])
    unimed_set_area(unimed=third, municipality_codes=["4106902"])
    return {"0137": unimed, "0025": other_unimed, "0666": third}
