"""Whatever an integrated system sends, the answer is one of the documented statuses
with the JSON error body — never a 500, never HTML. Each operation's documented
example is sent with one part broken: a field set to another JSON type, a huge or
odd string, a key removed or added, a block replaced."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpu_api.examples import NUMBER, REQUESTS

URL = "/api/v1/gpu/"
STATUSES = {200, 201, 400, 403, 404, 409}

odd_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "0" * 5000,
            "ção🙂",
            "9" * 40,
            "-1",
            "1e309",
            "null",
            "2026-02-30 25:61:00",
            "<script>",
            "' OR 1=1 --",
            "\u202e",
            "a\x00b",
            "32283120261120500001" * 3,
        ]
    ),
)
json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        odd_text,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


# (address, documented example, sending Unimed): the GPU operations and the leads API.
CASES = [
    (URL + operation, message, message["cabecalho_transacao"]["cd_uni_origem"])
    for operation, message in sorted(REQUESTS.items())
] + [
    (
        "/api/v1/reservas-mercado/",
        {"documento": "12.ABC.345/01DE-35", "vendedor": "vendedor.0025"},
        "0025",
    ),
    ("/api/v1/reservas-mercado/1/liberar", {"motivo": "cliente desistiu"}, "0025"),
    (
        "/api/v1/contratos-ativos/",
        {
            "contratos": [
                {
                    "documento": "11.222.333/0001-81",
                    "nr_contrato": "EMP-2024-001",
                    "dt_inicio": "2024-03-01",
                    "ativo": True,
                }
            ]
        },
        "0025",
    ),
]


@st.composite
def broken_messages(draw):
    address, example, sender = draw(st.sampled_from(CASES))
    message = copy.deepcopy(example)
    path = draw(st.sampled_from(list(_paths(message))))
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if not path:
        message = draw(json_value) if action == "replace" else message
    else:
        parent = message
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if action == "replace":
            parent[last] = draw(json_value)
        elif action == "delete":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(json_value)
    return address, sender, message


@pytest.fixture
def clients(network, api_for):
    return {code: api_for(network[code]) for code in ("0025", "0137")}


@pytest.fixture
def number(clients):
    """A protocol of 0025 for a 0137 beneficiary, which the examples then act on."""
    message = copy.deepcopy(REQUESTS["solicitarProtocolo"])
    message["cabecalho_transacao"]["nr_transacao_prestadora"] = "FUZZ000001"
    response = clients["0025"].post(URL + "solicitarProtocolo", message, format="json")
    assert response.status_code == 201, response.content
    return response.json()["resposta_solicitar_protocolo"]["nr_protocolo"]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=broken_messages())
def test_broken_messages_get_a_json_error_never_a_500(clients, number, case):
    address, sender, message = case
    raw = json.dumps(message).replace(NUMBER, number)
    response = clients[sender].post(address, raw, content_type="application/json")
    assert response.status_code in STATUSES, (address, message, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if response.status_code >= 400:
        assert set(body) >= {"id_identificador", "id_erro", "codigo", "mensagem", "campos"}, body
        assert isinstance(body["mensagem"], str) and body["mensagem"]


def test_bodies_that_are_not_json_objects(network, api_for):
    client = api_for(network["0025"])
    for raw in (
        "[]",
        "null",
        "42",
        '"texto"',
        "{",
        '{"cabecalho_transacao": []}',
        "\xff\xfe",
        "{}" * 3,
    ):
        response = client.post(URL + "solicitarProtocolo", raw, content_type="application/json")
        assert response.status_code == 400, (raw, response.content[:300])
        assert set(response.json()) >= {
            "id_identificador",
            "id_erro",
            "codigo",
            "mensagem",
            "campos",
        }


def _raw_message(tx: str, **replacements) -> str:
    """The documented solicitarProtocolo with values written as raw JSON tokens."""
    message = copy.deepcopy(REQUESTS["solicitarProtocolo"])
    message["cabecalho_transacao"]["nr_transacao_prestadora"] = tx
    body = message["solicitar_protocolo"]
    for key in replacements:
        body[key] = f"@@{key}@@"
    raw = json.dumps(message)
    for key, token in replacements.items():
        raw = raw.replace(f'"@@{key}@@"', token)
    return raw


def test_raw_tokens_python_reads_but_no_database_stores(network, api_for):
    client = api_for(network["0025"])
    cases = {
        "lone surrogate": (
            _raw_message("RAW0000000", nm_beneficiario='"Maria \\ud800"'),
            "json_invalido",
        ),
        "escaped pair is text": (
            _raw_message("RAW0000001", ds_mensagem='"Obrigada \\ud83d\\ude00"'),
            None,
        ),
        "float overflow": (_raw_message("RAW0000002", id_sistema="1e309"), "json_invalido"),
        "NUL in an unknown key": (_raw_message("RAW0000003", **{"x\\u0000": '"a\\u0000b"'}), None),
        "NaN": (_raw_message("RAW0000004", id_sistema="NaN"), "json_invalido"),
    }
    for name, (raw, code) in cases.items():
        response = client.post(URL + "solicitarProtocolo", raw, content_type="application/json")
        if code is None:
            assert response.status_code in (201, 409), (name, response.content[:300])
        else:
            assert response.status_code == 400 and response.json()["codigo"] == code, (
                name,
                response.content[:300],
            )
