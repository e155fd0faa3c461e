"""Brazilian identifiers: validate, normalise (digits/uppercase only) and mask.

Every function raises django.core.exceptions.ValidationError with a pt-BR message,
so forms, serializers and services report bad input the same way.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.br import cnpj as stdnum_cnpj
from stdnum.br import cpf as stdnum_cpf
from stdnum.exceptions import ValidationError as StdnumError

UF_CODES = (
    "AC",
    "AL",
    "AM",
    "AP",
    "BA",
    "CE",
    "DF",
    "ES",
    "GO",
    "MA",
    "MG",
    "MS",
    "MT",
    "PA",
    "PB",
    "PE",
    "PI",
    "PR",
    "RJ",
    "RN",
    "RO",
    "RR",
    "RS",
    "SC",
    "SE",
    "SP",
    "TO",
)
UF_CHOICES = [(uf, uf) for uf in UF_CODES]

_NON_DIGITS = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^0-9A-Z]")
_CARD_SEPARATORS = re.compile(r"[\s.\-/]")


def only_digits(value: object) -> str:
    return _NON_DIGITS.sub("", str(value or ""))


def normalize_cpf(value: object) -> str:
    """11 digits, valid check digits, not all equal (python-stdnum accepts those)."""
    digits = only_digits(value)
    if len(digits) != 11:
        raise ValidationError(_("CPF deve ter 11 dígitos."), code="cpf_tamanho")
    if len(set(digits)) == 1:
        raise ValidationError(_("CPF inválido."), code="cpf_invalido")
    try:
        stdnum_cpf.validate(digits)
    except StdnumError:
        raise ValidationError(
            _("CPF inválido: dígito verificador não confere."), code="cpf_invalido"
        ) from None
    return digits


def normalize_cnpj(value: object) -> str:
    """14 characters; the first 12 may be letters since July 2026 (alphanumeric CNPJ)."""
    raw = _NON_ALNUM.sub("", str(value or "").upper())
    if len(raw) != 14:
        raise ValidationError(_("CNPJ deve ter 14 caracteres."), code="cnpj_tamanho")
    if not raw[12:].isdigit():
        raise ValidationError(
            _("CNPJ inválido: os dois últimos caracteres devem ser dígitos."), code="cnpj_invalido"
        )
    if len(set(raw)) == 1:
        raise ValidationError(_("CNPJ inválido."), code="cnpj_invalido")
    try:
        stdnum_cnpj.validate(raw)
    except StdnumError:
        raise ValidationError(
            _("CNPJ inválido: dígito verificador não confere."), code="cnpj_invalido"
        ) from None
    return raw


def normalize_document(value: object) -> tuple[str, str]:
    """A CPF (person) or CNPJ (company): returns (kind, normalised) with kind 'cpf'/'cnpj'."""
    raw = _NON_ALNUM.sub("", str(value or "").upper())
    if len(raw) == 11 and raw.isdigit():
        return "cpf", normalize_cpf(raw)
    if len(raw) == 14:
        return "cnpj", normalize_cnpj(raw)
    raise ValidationError(
        _("Informe um CPF (11 dígitos) ou CNPJ (14 caracteres)."), code="documento_invalido"
    )


def normalize_cns(value: object) -> str:
    """Cartão Nacional de Saúde: 15 digits, first 1/2/7/8/9, Σ dᵢ·(15−i) ≡ 0 (mod 11)."""
    digits = only_digits(value)
    if len(digits) != 15:
        raise ValidationError(_("CNS deve ter 15 dígitos."), code="cns_tamanho")
    if digits[0] not in "12789":
        raise ValidationError(
            _("CNS inválido: deve começar com 1, 2, 7, 8 ou 9."), code="cns_invalido"
        )
    if sum(int(d) * (15 - i) for i, d in enumerate(digits)) % 11:
        raise ValidationError(
            _("CNS inválido: dígito verificador não confere."), code="cns_invalido"
        )
    return digits


def normalize_card(value: object) -> str:
    """Carteirinha: 17 digits = 4-digit Unimed code + 13-digit beneficiary id."""
    digits = _CARD_SEPARATORS.sub("", str(value or ""))
    if not re.fullmatch(r"\d{17}", digits):
        raise ValidationError(
            _("Carteirinha deve ter 17 dígitos (código da Unimed + 13 dígitos)."),
            code="carteirinha_invalida",
        )
    if digits[:4] == "0000":
        raise ValidationError(
            _("Carteirinha inválida: código da Unimed 0000."), code="carteirinha_invalida"
        )
    return digits


def card_unimed_code(card: str) -> str:
    return card[:4]


def normalize_cep(value: object) -> str:
    digits = only_digits(value)
    if len(digits) != 8:
        raise ValidationError(_("CEP deve ter 8 dígitos."), code="cep_invalido")
    return digits


def normalize_uf(value: object) -> str:
    uf = str(value or "").strip().upper()
    if uf not in UF_CODES:
        raise ValidationError(_("UF inválida."), code="uf_invalida")
    return uf


def normalize_unimed_code(value: object) -> str:
    code = str(value or "").strip()
    if not re.fullmatch(r"\d{4}", code) or code == "0000":
        raise ValidationError(
            _("Código da Unimed deve ter 4 dígitos (0001 a 9999)."), code="codigo_unimed_invalido"
        )
    return code


def normalize_ans_registry(value: object) -> str:
    code = str(value or "").strip()
    if not re.fullmatch(r"\d{6}", code):
        raise ValidationError(_("Registro ANS deve ter 6 dígitos."), code="registro_ans_invalido")
    return code


def normalize_ibge(value: object) -> str:
    code = str(value or "").strip()
    if not re.fullmatch(r"\d{7}", code):
        raise ValidationError(
            _("Código IBGE do município deve ter 7 dígitos."), code="ibge_invalido"
        )
    return code


def format_cpf(cpf: str) -> str:
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}" if len(cpf) == 11 else cpf


def mask_cpf(cpf: str) -> str:
    """LGPD display: only the middle six digits, as in ***.982.247-**."""
    if not cpf or len(cpf) != 11:
        return ""
    return f"***.{cpf[3:6]}.{cpf[6:9]}-**"


def format_cnpj(cnpj: str) -> str:
    if len(cnpj) != 14:
        return cnpj
    return f"{cnpj[:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:]}"


def mask_email(email: str) -> str:
    if not email or "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


# Django validators for model/form fields (they receive the stored value).
def validate_cpf(value: str) -> None:
    if normalize_cpf(value) != value:
        raise ValidationError(_("CPF deve ser armazenado só com dígitos."), code="cpf_formato")


def validate_cnpj(value: str) -> None:
    if normalize_cnpj(value) != value:
        raise ValidationError(
            _("CNPJ deve ser armazenado sem máscara, em maiúsculas."), code="cnpj_formato"
        )


def validate_card(value: str) -> None:
    normalize_card(value)


def validate_unimed_code(value: str) -> None:
    normalize_unimed_code(value)


def validate_ans_registry(value: str) -> None:
    normalize_ans_registry(value)


def validate_ibge(value: str) -> None:
    normalize_ibge(value)


def pseudonym(value: str) -> str:
    """A keyed hash of an identifier for audit rows (LGPD): the same CPF always gives the
    same value, so an auditor holding the CPF finds its rows (`pseudonym(cpf)`), but the
    row alone does not reveal it. Keyed with SECRET_KEY: rotating it starts new values."""
    from django.utils.crypto import salted_hmac

    if not value:
        return ""
    return "h:" + salted_hmac("gpu.audit.pseudonym", value, algorithm="sha256").hexdigest()[:24]


def audit_safe_filters(filters: dict) -> dict:
    """Search filters as an audit row keeps them: CPF masked plus its pseudonym, e-mail masked."""
    safe = {}
    for key, value in filters.items():
        if not value:
            continue
        if key == "cpf":
            digits = "".join(c for c in str(value) if c.isdigit())
            safe["cpf"] = mask_cpf(digits) or "***"
            safe["cpf_hash"] = pseudonym(digits)
        elif key == "email":
            safe["email"] = mask_email(str(value)) or "***"
        else:
            safe[key] = value
    return safe
