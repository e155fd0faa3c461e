"""Who asked: the requester's identification and contacts, normalised to digits."""

import re
from dataclasses import asdict, dataclass, fields

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.errors import InvalidInput
from core.identifiers import normalize_cpf, normalize_ibge, normalize_uf, only_digits
from unimeds.selectors import municipality_get


@dataclass(frozen=True)
class Requester:
    name: str
    cpf: str = ""
    phone_ddd: str = ""
    phone: str = ""
    email: str = ""
    uf: str = ""
    city_code: str = ""


REQUESTER_FIELDS = tuple(f.name for f in fields(Requester))
_SPACES = re.compile(r"[\s\x00]+")


def _phone(ddd_raw: object, phone_raw: object, errors: dict) -> tuple[str, str]:
    ddd, phone = only_digits(ddd_raw).lstrip("0"), only_digits(phone_raw)
    if not ddd and len(phone) in (10, 11):  # "(11) 98765-4321" typed in one field
        ddd, phone = phone[:2], phone[2:]
    if not ddd and not phone:
        return "", ""
    if not re.fullmatch(r"[1-9][1-9]", ddd):
        errors["requester.phone_ddd"] = ["DDD inválido: informe 2 dígitos, ex.: 11."]
    if not re.fullmatch(r"9\d{8}|[2-5]\d{7}", phone):
        errors["requester.phone"] = [
            "Telefone inválido: 8 dígitos (fixo) ou 9 dígitos começando com 9 (celular)."
        ]
    return ddd, phone


def optional_field(value, normalize, field: str, errors: dict) -> str:
    """A value that may be left out: "" when blank, else `normalize(value)`; a problem
    goes to errors[field] (nothing raised, so every field is checked in one pass)."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        return normalize(text)
    except ValidationError as exc:
        errors[field] = list(exc.messages)
    except InvalidInput as exc:
        errors[field] = [exc.message]
    return ""


def normalize_requester(value: "Requester | dict | None") -> tuple[dict, dict[str, list[str]]]:
    """(clean fields, errors keyed 'requester.<field>'). Nothing raised: the caller
    reports these together with the other fields' errors."""
    if isinstance(value, Requester):
        raw = asdict(value)
    elif isinstance(value, dict):
        raw = dict(value)
    else:
        return {}, {"requester": ["Informe os dados do solicitante."]}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(raw) - set(REQUESTER_FIELDS))
    if unknown:
        errors["requester"] = [f"Campos desconhecidos do solicitante: {', '.join(unknown)}."]
    clean: dict[str, str] = {}

    name = _SPACES.sub(" ", str(raw.get("name") or "")).strip()
    if len(name) < 2:
        errors["requester.name"] = ["Informe o nome do solicitante."]
    elif len(name) > 70:
        errors["requester.name"] = ["Nome com no máximo 70 caracteres."]
    clean["name"] = name

    clean["cpf"] = optional_field(raw.get("cpf"), normalize_cpf, "requester.cpf", errors)

    clean["phone_ddd"], clean["phone"] = _phone(raw.get("phone_ddd"), raw.get("phone"), errors)

    email = str(raw.get("email") or "").strip()
    if email:
        local, _, domain = email.rpartition("@")
        email = f"{local}@{domain.lower()}" if local else email
        if len(email) > 70:
            errors["requester.email"] = ["E-mail com no máximo 70 caracteres."]
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors["requester.email"] = ["Informe um e-mail válido."]
    clean["email"] = email

    clean["uf"] = optional_field(raw.get("uf"), normalize_uf, "requester.uf", errors)
    clean["city_code"] = optional_field(
        raw.get("city_code"), normalize_ibge, "requester.city_code", errors
    )
    if clean["city_code"]:
        city = municipality_get(clean["city_code"])
        if city is None:
            errors["requester.city_code"] = [f"Município IBGE {clean['city_code']} não encontrado."]
        elif clean["uf"] and city.uf != clean["uf"]:
            errors["requester.city_code"] = [
                f"{city.name} fica em {city.uf}, não em {clean['uf']}."
            ]
        else:
            clean["uf"] = city.uf
    return clean, errors
