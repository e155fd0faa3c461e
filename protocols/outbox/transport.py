"""One HTTP POST with a deadline for the whole call: connect, send, headers and body.

`requests` only bounds each socket read, so a receiver that trickles its answer a
byte at a time holds a worker for as long as it likes, and meanwhile the sweep hands
the same delivery to another worker. Here a watchdog shuts the socket down at the
deadline (which also ends a blocked read of trickled headers), and the body is read
in chunks against the same monotonic clock. Redirects are never followed.
"""

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from core.netguard import connected_peer_refused

MAX_ANSWER_BYTES = 1024 * 1024


class DeadlineExceeded(Exception):
    pass


class InternalAddress(Exception):  # noqa: N818 - reads as the reason in the delivery's error
    """The endpoint's name resolved to an internal address: never sent (permanent)."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _connection(url: str, timeout: float):
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    if parts.scheme == "https":
        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
        return http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=context
        ), path
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout), path


def post(url: str, *, body: bytes, headers: dict[str, str], deadline_seconds: float) -> Answer:
    """POST `body`; the answer (any status, redirects included, not followed), or
    DeadlineExceeded when the whole exchange did not finish in `deadline_seconds`.
    Network errors raise OSError / http.client.HTTPException."""
    deadline = time.monotonic() + deadline_seconds
    conn, path = _connection(url, timeout=deadline_seconds)
    expired = threading.Event()
    held: dict = {}

    def cut():
        expired.set()
        sock = held.get("sock") or conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(deadline_seconds, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.connect()
        held["sock"] = sock = conn.sock  # getresponse() drops conn.sock on "Connection: close"
        if connected_peer_refused(urlsplit(url).hostname or "", sock.getpeername()[0]):
            raise InternalAddress(
                f"o endpoint resolveu para um endereço interno ({sock.getpeername()[0]})"
            )
        if expired.is_set():
            raise DeadlineExceeded()
        conn.request("POST", path, body=body, headers={**headers, "Connection": "close"})
        response = conn.getresponse()
        chunks, size = [], 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DeadlineExceeded()
            sock.settimeout(remaining)
            chunk = response.read1(64 * 1024)
            if not chunk:
                break
            size += len(chunk)
            if size <= MAX_ANSWER_BYTES:
                chunks.append(chunk)
        if expired.is_set():
            raise DeadlineExceeded()
        return Answer(
            response.status, {k.lower(): v for k, v in response.getheaders()}, b"".join(chunks)
        )
    except InternalAddress:
        raise
    except (OSError, http.client.HTTPException):
        if expired.is_set() or time.monotonic() >= deadline:
            raise DeadlineExceeded() from None
        raise
    finally:
        watchdog.cancel()
        conn.close()


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))
