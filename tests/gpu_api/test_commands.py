"""unimed_endpoint and simulate_unimed."""

import json
import time

import pytest
from django.core.management import CommandError, call_command

from protocols.management.commands.simulate_unimed import UnimedSimulator
from protocols.models import Protocol
from tests.gpu_api.conftest import solicitar_message
from unimeds.services import service_account_create


def test_unimed_endpoint_configures_and_turns_off(network, capsys):
    call_command(
        "unimed_endpoint", "0137", "https://crm.unimed0137.example/gpu", "--secret", "x" * 20
    )
    unimed = network["0137"]
    unimed.refresh_from_db()
    assert (unimed.is_integrated, unimed.endpoint_url, unimed.signing_secret) == (
        True,
        "https://crm.unimed0137.example/gpu",
        "x" * 20,
    )
    call_command("unimed_endpoint", "0137", "--desligar")
    unimed.refresh_from_db()
    assert not unimed.is_integrated and unimed.signing_secret == "x" * 20
    with pytest.raises(CommandError, match="https"):
        call_command("unimed_endpoint", "0137", "http://crm.example/gpu", "--secret", "y" * 20)
    with pytest.raises(CommandError, match="16 caracteres"):
        call_command("unimed_endpoint", "0137", "https://crm.example/gpu", "--secret", "curto")
    with pytest.raises(CommandError, match="não cadastrada"):
        call_command("unimed_endpoint", "9999", "https://crm.example/gpu")
    call_command("unimed_endpoint", "0025", "http://127.0.0.1:9000/gpu")
    assert "Segredo de assinatura gerado" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_simulator_receives_verifies_and_answers_through_the_api(
    reference_data, network, api_for, live_server, tmp_path
):
    account, client_secret = service_account_create(unimed=network["0137"], name="simulador")
    record = tmp_path / "recebidas.jsonl"
    simulator = UnimedSimulator(
        code="0137",
        secret="segredo-do-simulador-0137",
        port=0,
        api=live_server.url,
        client_id=account.client_id,
        client_secret=client_secret,
        delay=0.1,
        record=record,
    ).start()
    try:
        call_command(
            "unimed_endpoint",
            "0137",
            simulator.receiver.url,
            "--secret",
            "segredo-do-simulador-0137",
        )
        client = api_for(network["0025"])
        client.defaults["SERVER_NAME"] = "testserver"
        response = client.post(
            f"{live_server.url}/api/v1/gpu/solicitarProtocolo",
            solicitar_message(tp_manifestacao="S"),
            format="json",
        )
        assert response.status_code == 201
        number = response.json()["resposta_solicitar_protocolo"]["nr_protocolo"]
        deadline = time.monotonic() + 15
        while not simulator.answers and time.monotonic() < deadline:
            time.sleep(0.05)
        assert simulator.answers and simulator.answers[0]["status_http"] == 200, simulator.answers
        assert Protocol.objects.get(number=number).status == "respondido"
        [line] = record.read_text().splitlines()
        assert json.loads(line)["operation"] == "solicitarProtocolo"
        assert simulator.receiver.rejected == []
    finally:
        simulator.stop()
