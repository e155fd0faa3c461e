"""The integration log: every API call in and out, personal data masked.

Bodies are masked before they are stored, by key AND by value (LGPD, issue #16):

- keys naming a CPF, e-mail, phone, card, CNS or a person's name mask their value by type;
  secrets (passwords, tokens) are dropped;
- in every other string (free text, unknown keys, error messages, URLs) anything shaped
  like a CPF, CNPJ, CNS, card, phone number or e-mail is masked, and every word of a name
  found anywhere in the message is masked wherever else it appears;
- only keys naming a transaction or protocol number (technical ids, needed to trace a
  call) keep their digits; protocol numbers (20 digits) are never personal.
"""

import math
import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.db import insert_new
from core.identifiers import mask_cpf, mask_email
from core.models import IntegrationLog

_SECRET_KEYS = {
    "senha",
    "password",
    "clientsecret",
    "token",
    "accesstoken",
    "refreshtoken",
    "signingsecret",
    "novasenha",
    "secret",
    "segredo",
}
_TECHNICAL = ("transacao", "protocolo", "controle", "versao")
_NAME_WORDS = ("nome", "name")
_NOT_A_PERSON = (
    "unimed",
    "operadora",
    "empresa",
    "razao",
    "fantasia",
    "cidade",
    "municipio",
    "plano",
    "produto",
    "arquivo",
    "file",
    "prestadora",
    "bairro",
    "logradouro",
    "servico",
)
_PHONE_WORDS = ("telefone", "fone", "celular", "phone", "whatsapp")
_CARD_WORDS = ("carteir", "cartao", "card", "benef")
_EMAIL_RE = re.compile(r"[^@\s\"'<>(),;:]+@[^@\s\"'<>(),;:]+")
# Document-, card- and phone-shaped numbers in free text: formatted ones, then bare runs of
# 8 to 19 digits (a 20-digit protocol number is left alone by the digit look-arounds).
_NUMBER_RE = re.compile(
    r"(?<![\d*])(?:"
    r"\d{3}\.\d{3}\.\d{3}-\d{2}"  # CPF
    r"|\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}"  # CNPJ
    r"|\d{3}[ .]\d{4}[ .]\d{4}[ .]\d{4}"  # CNS
    r"|\d{4}[ .]\d{4}[ .]?\d{4}[ .]?\d{4}[ .]?\d"  # card, grouped
    r"|\d{4}[ .]\d{12,13}"  # card, prefix apart
    r"|\(?\d{2}\)?[ .-]?9?\d{4}[ .-]\d{4}"  # phone with DDD
    r"|9?\d{4}-\d{4}"  # phone
    r"|\d{8,19}"
    r")(?![\d*])"
)
_NAME_STOPWORDS = {
    "da",
    "de",
    "do",
    "das",
    "dos",
    "e",
    "di",
    "du",
    "del",
    "la",
    "van",
    "von",
    "junior",
    "filho",
    "neto",
    "sobrinho",
}
_MAX_STRING = 2000


def _text(value: str) -> str:
    """What PostgreSQL's jsonb can hold: no NUL."""
    return value.replace("\x00", "") if "\x00" in value else value


def _key(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def _is_name_key(key: str) -> bool:
    return any(w in key for w in _NAME_WORDS) and not any(w in key for w in _NOT_A_PERSON)


def _stars(text: str) -> str:
    return re.sub(r"\d", "*", text)


def mask_name(value: str) -> str:
    """MARIA DA SILVA → M*** D* S***: initials only."""
    return " ".join(word[:1] + "*" * min(3, max(len(word) - 1, 1)) for word in value.split())


class _Masker:
    def __init__(self, *bodies):
        names: set[str] = set()
        for body in bodies:
            self._collect_names(body, "", names)
        words = sorted(
            {
                w
                for n in names
                for w in re.findall(r"\w+", n)
                if len(w) > 2 and w.lower() not in _NAME_STOPWORDS and not w.isdigit()
            },
            key=len,
            reverse=True,
        )
        self.name_re = (
            re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
            if words
            else None
        )

    def _collect_names(self, value, key: str, names: set[str]) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                self._collect_names(v, _key(str(k)), names)
        elif isinstance(value, list):
            for item in value:
                self._collect_names(item, key, names)
        elif isinstance(value, str) and _is_name_key(key):
            names.add(value)

    def text(self, value: str) -> str:
        """Mask by value: numbers shaped like documents, cards and phones, e-mails, names."""
        if "@" in value:
            value = _EMAIL_RE.sub(lambda m: mask_email(m.group(0)), value)
        if any(c.isdigit() for c in value):
            value = _NUMBER_RE.sub(lambda m: _stars(m.group(0)), value)
        if self.name_re is not None:
            value = self.name_re.sub(lambda m: mask_name(m.group(0)), value)
        return value

    def __call__(self, value, key: str = ""):
        if isinstance(value, dict):
            return {
                _text(str(k)): self(v, _key(str(k)))
                for k, v in value.items()
                if _key(str(k)) not in _SECRET_KEYS
            }
        if isinstance(value, list):
            return [self(item, key) for item in value]
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, float) and not math.isfinite(value):  # a receiver's NaN: not JSON
            return str(value)
        technical = any(w in key for w in _TECHNICAL)
        if isinstance(value, int | float):
            if technical:
                return value
            sensitive = (
                "cpf" in key or "cns" in key or any(w in key for w in _PHONE_WORDS + _CARD_WORDS)
            )
            return "***" if sensitive or len(str(abs(int(value)))) >= 8 else value
        if not isinstance(value, str):
            return value
        value = _text(value[:_MAX_STRING])
        if "cpf" in key:
            digits = re.sub(r"\D", "", value)
            return mask_cpf(digits) if len(digits) == 11 else ("***" if value else value)
        if "email" in key:
            return mask_email(value) if "@" in value else ("***" if value else value)
        if _is_name_key(key):
            return mask_name(value)
        if any(w in key for w in _PHONE_WORDS + _CARD_WORDS) or "cns" in key or "documento" in key:
            return _stars(value)
        if technical:
            return self.text(value) if "@" in value else value
        return self.text(value)


def mask_personal_data(value, *, also=()):
    """A deep copy of `value` safe to keep in logs (LGPD) and in a jsonb column. Names
    found in `also` (the other body of the same call) are masked here too."""
    return _Masker(value, *also)(value)


def mask_text(text: str, *bodies) -> str:
    """Free text (an error, a URL) with the personal data of `bodies` and by value masked."""
    return _Masker(*bodies).text(_text(text))


def log_call(
    *,
    direction: str,
    operation: str,
    unimed=None,
    http_status: int | None = None,
    duration_ms: float = 0,
    request_id: str = "",
    url: str = "",
    request_body=None,
    response_body=None,
    error: str = "",
) -> IntegrationLog:
    masker = _Masker(request_body, response_body)
    log = IntegrationLog(
        direction=direction,
        operation=operation[:80],
        unimed=unimed,
        http_status=http_status,
        duration_ms=max(0, int(duration_ms)),
        request_id=request_id[:64],
        url=masker.text(_text(url))[:300],
        request_body=masker(request_body) if request_body is not None else None,
        response_body=masker(response_body) if response_body is not None else None,
        error=masker.text(_text(error))[:500],
    )
    insert_new(log)
    return log


def integration_log_purge(*, now=None) -> int:
    """Delete log rows older than GPU_INTEGRATION_LOG_RETENTION_DAYS. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.GPU_INTEGRATION_LOG_RETENTION_DAYS)
    deleted, _ = IntegrationLog.objects.filter(at__lt=cutoff).delete()
    return deleted
