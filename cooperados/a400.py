"""Parser of the provider-movement file (PTU A400 subset) — pure, no database.

The layout is documented in docs/a400.md. Real A400 manuals are restricted, so
this module is the only place that knows the layout: changing the layout means
changing this file and its tests, nothing else.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from cooperados.models import Profile
from core.identifiers import UF_CODES, normalize_cpf

SEPARATOR = ";"
HEADER, PROVIDER, TRAILER = "401", "402", "409"
MOVEMENTS = {"I": "inclusão", "A": "alteração", "E": "exclusão"}
PROVIDER_FIELDS = 10  # 402;movimento;código;nome;login;crm;uf;cpf;perfil;email

_CODE = re.compile(r"\d{1,8}")
_LOGIN = re.compile(r"[0-9A-Z]{3,20}")
_CRM = re.compile(r"\d{1,10}")


class A400FileError(Exception):
    """The file as a whole is unusable (header, trailer, encoding): nothing is applied."""


@dataclass(frozen=True)
class ProviderRecord:
    line_no: int
    movement: str
    provider_code: str
    full_name: str
    login: str
    crm_number: str
    crm_uf: str
    cpf: str
    profile: str
    email: str


@dataclass(frozen=True)
class RejectedLine:
    line_no: int
    reason: str
    provider_code: str = ""


@dataclass
class A400File:
    unimed_code: str
    generated_on: date
    version: str
    records: list[ProviderRecord] = field(default_factory=list)
    rejected: list[RejectedLine] = field(default_factory=list)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 — what Unimed systems export."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise A400FileError("Arquivo com codificação desconhecida: use UTF-8 ou Windows-1252 (Latin-1).")


def parse(content: bytes) -> A400File:
    """Parse a whole file. Raises A400FileError for file-level problems; bad
    provider lines are collected in `rejected` with their line number and reason."""
    lines = [(n, raw.strip()) for n, raw in enumerate(decode(content).splitlines(), start=1)]
    lines = [(n, text) for n, text in lines if text]
    if not lines:
        raise A400FileError("Arquivo vazio.")
    header_no, header_text = lines[0]
    if _CONTROL.search(header_text):
        raise A400FileError(f"Linha {header_no}: cabeçalho com caractere de controle — o arquivo não é texto "
                            "A400 (UTF-8 ou Windows-1252).")
    parsed = _parse_header(header_no, header_text)
    trailer_count = None
    for line_no, text in lines[1:]:
        fields = [f.strip() for f in text.split(SEPARATOR)]
        kind = fields[0]
        if trailer_count is not None:
            raise A400FileError(f"Linha {line_no}: há registros depois do trailer (409).")
        if _CONTROL.search(text):  # NUL and the like: no database text holds them
            parsed.rejected.append(RejectedLine(line_no, "Caractere de controle (ex.: NUL) na linha: corrija a exportação."))
        elif kind == TRAILER:
            trailer_count = _parse_trailer(line_no, fields)
        elif kind == PROVIDER:
            result = _parse_provider(line_no, fields)
            (parsed.records if isinstance(result, ProviderRecord) else parsed.rejected).append(result)
        elif kind == HEADER:
            raise A400FileError(f"Linha {line_no}: segundo cabeçalho (401) no mesmo arquivo.")
        else:
            parsed.rejected.append(RejectedLine(line_no, f"Tipo de registro desconhecido: {kind[:10]!r}."))
    provider_lines = sum(1 for _, t in lines[1:] if t.split(SEPARATOR)[0].strip() == PROVIDER)
    if trailer_count is not None and trailer_count != provider_lines:
        raise A400FileError(
            f"Trailer (409) informa {trailer_count} registros 402, mas o arquivo tem {provider_lines}: "
            "arquivo incompleto ou corrompido, nada foi aplicado."
        )
    return parsed


def _parse_header(line_no: int, text: str) -> A400File:
    fields = [f.strip() for f in text.split(SEPARATOR)]
    if fields[0] != HEADER or len(fields) != 4:
        raise A400FileError(
            f"Linha {line_no}: a primeira linha deve ser o cabeçalho "
            "401;<código Unimed>;<data AAAAMMDD>;<versão>."
        )
    _, unimed_code, generated, version = fields
    if not re.fullmatch(r"\d{4}", unimed_code):
        raise A400FileError(f"Linha {line_no}: código da Unimed deve ter 4 dígitos.")
    try:
        generated_on = datetime.strptime(generated, "%Y%m%d").date()
    except ValueError:
        raise A400FileError(f"Linha {line_no}: data de geração inválida (use AAAAMMDD).") from None
    return A400File(unimed_code=unimed_code, generated_on=generated_on, version=version[:10])


def _parse_trailer(line_no: int, fields: list[str]) -> int:
    if len(fields) != 2 or not fields[1].isdigit():
        raise A400FileError(f"Linha {line_no}: trailer deve ser 409;<quantidade de registros 402>.")
    return int(fields[1])


def _parse_provider(line_no: int, fields: list[str]) -> ProviderRecord | RejectedLine:
    if len(fields) != PROVIDER_FIELDS:
        return RejectedLine(line_no, f"Registro 402 deve ter {PROVIDER_FIELDS} campos; tem {len(fields)}.")
    _, movement, code, name, login, crm, uf, cpf, profile, email = fields
    errors = []
    movement = movement.upper()
    if movement not in MOVEMENTS:
        errors.append("tipo de movimento deve ser I, A ou E")
    if not _CODE.fullmatch(code):
        errors.append("código do prestador deve ter de 1 a 8 dígitos")
    name = " ".join(name.split())
    if not name or len(name) > 120:
        errors.append("nome é obrigatório (até 120 caracteres)")
    login = re.sub(r"[\s./-]", "", login).upper()
    if not _LOGIN.fullmatch(login):
        errors.append("login deve ter de 3 a 20 letras/dígitos")
    uf = uf.upper()
    if crm and not _CRM.fullmatch(crm):
        errors.append("CRM deve ter só dígitos (até 10)")
    if crm and uf not in UF_CODES:
        errors.append("UF do CRM inválida")
    if cpf:
        try:
            cpf = normalize_cpf(cpf)
        except ValidationError as exc:
            errors.append(str(exc.messages[0]).rstrip(".").lower().replace("cpf", "CPF", 1))
    profile = (profile or Profile.PRESTADOR).upper()
    if profile not in Profile.values:
        errors.append(f"perfil desconhecido (use {', '.join(Profile.values)})")
    email = email.lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append("e-mail inválido")
    if errors:
        return RejectedLine(line_no, "; ".join(errors).capitalize() + ".", code if _CODE.fullmatch(code) else "")
    return ProviderRecord(
        line_no=line_no, movement=movement, provider_code=code, full_name=name, login=login,
        crm_number=crm, crm_uf=uf if crm else "", cpf=cpf, profile=profile, email=email,
    )
