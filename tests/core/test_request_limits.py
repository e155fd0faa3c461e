"""Body size and JSON depth are answered before parsing: 413 and 400 as JSON."""

import json

import pytest

from tests.gpu_api.conftest import network, solicitar_message  # noqa: F401

DEEP = 10_000


@pytest.mark.parametrize("path", ["/api/v1/cooperados/sessao", "/api/v1/gpu/solicitarProtocolo"])
def test_a_50_mb_body_is_413_json(client, db, path):
    response = client.post(
        path, data=b"{" + b" " * (50 * 1024 * 1024) + b"}", content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["codigo"] == "corpo_grande_demais"


def test_a_too_large_upload_is_413_before_reading(client, db, settings):
    settings.GPU_MAX_UPLOAD_BYTES = 1024
    response = client.post(
        "/portal/fale-conosco/nao-cliente/", {"arquivo": b"x" * 4096}, HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 413
    assert "limite" in response.content.decode()


def test_json_nested_10000_deep_is_400_json(client, db):
    body = "[" * DEEP + "]" * DEEP
    response = client.post("/api/v1/cooperados/sessao", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["codigo"] == "json_invalido"


def test_deep_json_inside_a_gpu_message_is_400(network, api_for):  # noqa: F811
    message = solicitar_message()
    nested: object = "fim"
    for _ in range(200):
        nested = {"a": nested}
    message["solicitar_protocolo"]["ds_manifestacao"] = nested
    response = api_for(network["0025"]).post(
        "/api/v1/gpu/solicitarProtocolo", data=json.dumps(message), content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["codigo"] == "json_invalido"


def test_brackets_inside_strings_do_not_count(network, api_for):  # noqa: F811
    message = solicitar_message()
    message["solicitar_protocolo"]["ds_manifestacao"] = "[" * 500 + " texto com colchetes"
    response = api_for(network["0025"]).post(
        "/api/v1/gpu/solicitarProtocolo", data=json.dumps(message), content_type="application/json"
    )
    assert response.status_code != 400 or response.json()["codigo"] != "json_invalido"
