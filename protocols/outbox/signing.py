"""Delivery signatures: HMAC-SHA256 with the Unimed's secret over "<timestamp>.<raw body>".

Receivers verify with `verify_signature` (or the snippet in docs/api.md): compare in
constant time and refuse old timestamps, so a captured request cannot be replayed.
"""

import hashlib
import hmac
import json
import time

DELIVERY_HEADER = "X-GPU-Delivery"
TIMESTAMP_HEADER = "X-GPU-Timestamp"
SIGNATURE_HEADER = "X-GPU-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(Exception):
    """The request is not authentic (bad/missing signature or stale timestamp)."""


def encode_body(payload) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(*, secret: str, timestamp: int | str, body: bytes) -> str:
    """'sha256=<hex>' for `body` sent at `timestamp` (Unix seconds)."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(
    *, secret: str, body: bytes, delivery_id: str, timestamp: int | None = None
) -> dict:
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return {
        "Content-Type": "application/json; charset=utf-8",
        DELIVERY_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: str(ts),
        SIGNATURE_HEADER: sign(secret=secret, timestamp=ts, body=body),
    }


def verify_signature(
    *,
    secret: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> None:
    """Raise SignatureError unless `signature` is valid for `body` and `timestamp`
    is within `tolerance` seconds of now."""
    if not timestamp or not signature:
        raise SignatureError("Cabeçalhos X-GPU-Timestamp e X-GPU-Signature são obrigatórios.")
    try:
        ts = int(timestamp)
    except ValueError:
        raise SignatureError("X-GPU-Timestamp deve ser um inteiro (segundos Unix).") from None
    current = time.time() if now is None else now
    if abs(current - ts) > tolerance:
        raise SignatureError(f"X-GPU-Timestamp fora da janela de {tolerance} s.")
    expected = sign(secret=secret, timestamp=ts, body=body)
    if not hmac.compare_digest(expected, signature.strip()):
        raise SignatureError("Assinatura inválida.")
