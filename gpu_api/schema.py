"""OpenAPI schemas of the GPU replies, read off the documented examples (gpu_api.examples):
the example is the contract, so the schema and the example cannot drift. Dates are the
wire's `AAAA-MM-DD hh:mm:ss` pattern, not `date-time`; fields that may come back null
are marked nullable."""

import re

WIRE_DATETIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
_DATETIME = re.compile(WIRE_DATETIME)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Keys that may come back null (or absent from the sender and echoed as null).
NULLABLE = {
    "cd_uni_destino",
    "nr_ans",
    "id_usuario",
    "dt_manifestacao",
    "dt_cancelamento",
    "dt_resposta",
    "id_origem_resposta",
    "num_trans_interc_prestadora",
    "num_trans_origem_beneficiario",
    "id_lead",
    "situacao_lead",
    "nr_vidas",
    "tp_sub_categoria",
    "cd_uni_origem",
    "id_sistema",
    "nr_transacao_prestadora",
}


def schema_of(example, name: str = ""):
    """A JSON schema matching `example` (objects: every key required, as the clients
    read them without checking)."""
    if isinstance(example, dict):
        return {
            "type": "object",
            "required": sorted(example),
            "properties": {key: schema_of(value, key) for key, value in example.items()},
        }
    if isinstance(example, list):
        return {"type": "array", "items": schema_of(example[0], name) if example else {}}
    nullable = name in NULLABLE
    if example is None:
        return {"nullable": True}
    if isinstance(example, bool):
        schema = {"type": "boolean"}
    elif isinstance(example, int):
        schema = {"type": "integer"}
    elif isinstance(example, float):
        schema = {"type": "number"}
    elif _DATETIME.match(example):
        schema = {"type": "string", "pattern": WIRE_DATETIME, "example": example}
    elif _DATE.match(example):
        schema = {"type": "string", "format": "date"}
    else:
        schema = {"type": "string"}
    if nullable:
        schema["nullable"] = True
    return schema
