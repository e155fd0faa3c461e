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
    line_count: int = 0  # provider (402) lines, counted by `check`


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 — what Unimed systems export."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise A400FileError(
        "Arquivo com codificação desconhecida: use UTF-8 ou Windows-1252 (Latin-1)."
    )


# The line breaks of str.splitlines(), found one at a time.
_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _lines(text: str):
    """(line number, stripped text) of the non-blank lines, one at a time: a 200,000-line
    file is never held as a list of lines (nor copied: io.StringIO would keep four
    bytes per character)."""
    n, pos = 0, 0
    for match in _BREAK.finditer(text):
        n += 1
        stripped = text[pos : match.start()].strip()
        pos = match.end()
        if stripped:
            yield n, stripped
    if pos < len(text):
        stripped = text[pos:].strip()
        if stripped:
            yield n + 1, stripped


def read_header(text: str) -> A400File:
    """The file's header (Unimed, date, version) with empty record lists; the same
    file-level errors as `check`."""
    first = next(_lines(text), None)
    if first is None:
        raise A400FileError("Arquivo vazio.")
    header_no, header_text = first
    if _CONTROL.search(header_text):
        raise A400FileError(
            f"Linha {header_no}: cabeçalho com caractere de controle — o arquivo não é texto "
            "A400 (UTF-8 ou Windows-1252)."
        )
    return _parse_header(header_no, header_text)


def check(text: str) -> A400File:
    """First pass over a whole decoded file, keeping nothing but counts: header, a
    second header, records after the trailer, trailer count. Raises A400FileError so
    that nothing is applied from a broken file; returns the header."""
    parsed = read_header(text)
    lines = _lines(text)
    next(lines)
    trailer_count, provider_lines = None, 0
    for line_no, line in lines:
        kind = line.split(SEPARATOR, 1)[0].strip()
        if trailer_count is not None:
            raise A400FileError(f"Linha {line_no}: há registros depois do trailer (409).")
        if kind == PROVIDER:
            provider_lines += 1
        if _CONTROL.search(line):
            continue
        if kind == TRAILER:
            trailer_count = _parse_trailer(line_no, [f.strip() for f in line.split(SEPARATOR)])
        elif kind == HEADER:
            raise A400FileError(f"Linha {line_no}: segundo cabeçalho (401) no mesmo arquivo.")
    if trailer_count is not None and trailer_count != provider_lines:
        raise A400FileError(
            f"Trailer (409) informa {trailer_count} registros 402, mas o arquivo tem {provider_lines}: "
            "arquivo incompleto ou corrompido, nada foi aplicado."
        )
    parsed.line_count = provider_lines
    return parsed


def iter_lines(text: str):
    """Second pass, after `check`: each provider line as a ProviderRecord or a
    RejectedLine, in file order."""
    lines = _lines(text)
    next(lines)
    for line_no, line in lines:
        fields = [f.strip() for f in line.split(SEPARATOR)]
        kind = fields[0]
        if _CONTROL.search(line):  # NUL and the like: no database text holds them
            yield RejectedLine(
                line_no, "Caractere de controle (ex.: NUL) na linha: corrija a exportação."
            )
        elif kind == PROVIDER:
            yield _parse_provider(line_no, fields)
        elif kind != TRAILER:
            yield RejectedLine(line_no, f"Tipo de registro desconhecido: {kind[:10]!r}.")


def parse(content: bytes) -> A400File:
    """Parse a whole file into lists (small files, tests). Raises A400FileError for
    file-level problems; bad provider lines are collected in `rejected`."""
    text = decode(content)
    parsed = check(text)
    for result in iter_lines(text):
        (parsed.records if isinstance(result, ProviderRecord) else parsed.rejected).append(result)
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
        return RejectedLine(
            line_no, f"Registro 402 deve ter {PROVIDER_FIELDS} campos; tem {len(fields)}."
        )
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
        return RejectedLine(
            line_no, "; ".join(errors).capitalize() + ".", code if _CODE.fullmatch(code) else ""
        )
    return ProviderRecord(
        line_no=line_no,
        movement=movement,
        provider_code=code,
        full_name=name,
        login=login,
        crm_number=crm,
        crm_uf=uf if crm else "",
        cpf=cpf,
        profile=profile,
        email=email,
    )
