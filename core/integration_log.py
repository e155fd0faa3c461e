"""The integration log: every API call in and out, personal data masked.

Bodies are masked before they are stored: CPF-like values keep only their middle
digits, e-mails their first letter and domain, and known secret keys are dropped.
"""

import math
import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.db import insert_new
from core.identifiers import mask_cpf, mask_email
from core.models import IntegrationLog

_CPF_KEYS = {"cpf", "cd_cpf", "nr_cpf", "documento", "cd_documento"}
_EMAIL_KEYS = {"email", "ds_email", "e_mail"}
_SECRET_KEYS = {"senha", "password", "client_secret", "token", "access_token", "signing_secret"}
_EMAIL_RE = re.compile(r"[^@\s\"']+@[^@\s\"']+")
_MAX_STRING = 2000


def _text(value: str) -> str:
    """What PostgreSQL's jsonb can hold: no NUL."""
    return value.replace("\x00", "") if "\x00" in value else value


def mask_personal_data(value, key: str = ""):
    """A deep copy of `value` safe to keep in logs (LGPD) and in a jsonb column."""
    lowered = key.lower()
    if isinstance(value, dict):
        return {_text(str(k)): mask_personal_data(v, str(k)) for k, v in value.items()
                if str(k).lower() not in _SECRET_KEYS}
    if isinstance(value, list):
        return [mask_personal_data(item, key) for item in value]
    if isinstance(value, str):
        if lowered in _CPF_KEYS or (lowered.endswith("cpf")):
            digits = re.sub(r"\D", "", value)
            return mask_cpf(digits) if len(digits) == 11 else "***"
        if lowered in _EMAIL_KEYS or lowered.endswith("email"):
            return _text(mask_email(value))
        if "@" in value:
            value = _EMAIL_RE.sub(lambda m: mask_email(m.group(0)), value)
        return _text(value[:_MAX_STRING])
    if isinstance(value, int) and lowered.endswith("cpf"):
        return "***"
    if isinstance(value, float) and not math.isfinite(value):  # a receiver's NaN: not JSON
        return str(value)
    return value


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
    log = IntegrationLog(
        direction=direction,
        operation=operation[:80],
        unimed=unimed,
        http_status=http_status,
        duration_ms=max(0, int(duration_ms)),
        request_id=request_id[:64],
        url=url[:300],
        request_body=mask_personal_data(request_body) if request_body is not None else None,
        response_body=mask_personal_data(response_body) if response_body is not None else None,
        error=error[:500],
    )
    insert_new(log)
    return log


def integration_log_purge(*, now=None) -> int:
    """Delete log rows older than GPU_INTEGRATION_LOG_RETENTION_DAYS. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.GPU_INTEGRATION_LOG_RETENTION_DAYS)
    deleted, _ = IntegrationLog.objects.filter(at__lt=cutoff).delete()
    return deleted
