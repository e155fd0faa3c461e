"""JSON shapes the registry answers with (PTU camelCase), shared by the intake answer
(stored for replay) and the consultations, so both always describe a sharing alike."""

import hashlib
import json
import re

from django.utils import timezone

from core.identifiers import mask_cpf
from intercambio.models import RiskSharing, RiskSharingHistory

ORIGIN_FIELD = "cabecalho.unimed.codigoUnimedOrigem"
DESTINATION_FIELD = "cabecalho.unimed.codigoUnimedDestino"
CONTROL_FIELD = "cabecalho.codigoControleTransacao"
CARD_FIELD = "dadosBeneficiario.carteirinhaBeneficiario"


def fingerprint(payload) -> str:
    """Same JSON content → same hash, whatever the key order or spacing."""
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _unimed(unimed) -> dict:
    return {"codigo": unimed.code, "nome": unimed.name}


def sharing_body(sharing: RiskSharing, *, reason: str = "") -> dict:
    from intercambio.selectors import responsible_for_card

    responsible = responsible_for_card(sharing.card)
    return {
        "carteirinha": sharing.card,
        "tipoCompartilhamentoRisco": sharing.sharing_type,
        "descricaoTipo": sharing.get_sharing_type_display(),
        "unimedDetentora": _unimed(sharing.holder_unimed),
        "unimedAtendimento": _unimed(sharing.attending_unimed),
        "unimedRemetente": _unimed(sharing.sender_unimed),
        "dataInicio": sharing.starts_on.isoformat(),
        "dataFim": sharing.ends_on.isoformat() if sharing.ends_on else None,
        "ativo": sharing.is_active,
        "responsavelAtendimento": (
            {**_unimed(responsible[0]), "motivo": responsible[1]} if responsible else None
        ),
        "beneficiario": {
            "nomeBeneficiario": sharing.full_name,
            "cpf": mask_cpf(sharing.cpf) or None,
        },
    }


def history_body(row: RiskSharingHistory) -> dict:
    return {
        "mudanca": row.change,
        "registradaEm": timezone.localtime(row.recorded_at).isoformat(),
        "tipoCompartilhamentoRisco": row.sharing_type,
        "unimedDetentora": row.holder_unimed.code,
        "unimedAtendimento": row.attending_unimed.code,
        "unimedRemetente": row.sender_unimed.code,
        "dataInicio": row.starts_on.isoformat(),
        "dataFim": row.ends_on.isoformat() if row.ends_on else None,
        "camposAlterados": row.changed_fields,
        "codigoControleTransacao": row.message.control_code if row.message_id else None,
        "motivo": row.reason,
    }


_NAME_PART = re.compile(r"\S+")


def _mask_name(value: str) -> str:
    parts = _NAME_PART.findall(value)
    return " ".join([parts[0], *(p[0] + "***" for p in parts[1:])]) if parts else ""


# PTU keys holding personal data that core.integration_log does not know (it masks
# CPF and e-mail keys); the log is for analysing requests, not for reading people.
_MASKERS = {
    "nomecompletobeneficiario": _mask_name,
    "nomeabreviadobeneficiario": _mask_name,
    "nomebeneficiario": _mask_name,
    "nomemae": _mask_name,
    "cns": lambda v: "***" + v[-4:] if len(v) > 4 else "***",
    "datanascimento": lambda v: v[:4] + "-**-**",
    "codigoidentidade": lambda v: "***",
    "logradouro": lambda v: "***",
    "logradouroprincipal": lambda v: "***",
    "numerologradouro": lambda v: "***",
    "numero": lambda v: "****" + v[-4:],
    "cep": lambda v: v[:5] + "***",
}


def mask_ptu(value, key: str = ""):
    if isinstance(value, dict):
        return {k: mask_ptu(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_ptu(item, key) for item in value]
    masker = _MASKERS.get(key.lower())
    if masker and isinstance(value, str | int) and not isinstance(value, bool):
        return masker(str(value))
    return value
