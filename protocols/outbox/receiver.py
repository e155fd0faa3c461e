"""A minimal receiving end of GPU deliveries: verifies signatures, records what came.

Used by `manage.py simulate_unimed` (demos) and by tests as a local integrated
Unimed. Receivers de-duplicate on X-GPU-Delivery, as real ones must.
"""

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from protocols.outbox.signing import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    verify_signature,
)

MAX_BODY = 5 * 1024 * 1024


class Receiver:
    """`Receiver(secret).start()` listens on 127.0.0.1:<port>; `received` holds one dict
    per verified request: operation, delivery id, headers, message. `statuses` is an
    optional list of HTTP statuses to answer in turn (then 200)."""

    def __init__(
        self,
        secret: str,
        *,
        port: int = 0,
        statuses: list[int] | None = None,
        on_message: Callable[[dict], None] | None = None,
    ):
        self.secret = secret
        self.statuses = list(statuses or [])
        self.on_message = on_message
        self.received: list[dict] = []
        self.rejected: list[dict] = []
        self.attempts: list[str] = []  # X-GPU-Delivery of every request, verified or not
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/gpu"

    def start(self) -> "Receiver":
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        delivery = headers.get(DELIVERY_HEADER, "")
        with self._lock:
            self.attempts.append(delivery)
        try:
            verify_signature(
                secret=self.secret,
                body=body,
                timestamp=headers.get(TIMESTAMP_HEADER),
                signature=headers.get(SIGNATURE_HEADER),
            )
            message = json.loads(body)
        except (SignatureError, ValueError) as exc:
            with self._lock:
                self.rejected.append({"path": path, "delivery": delivery, "error": str(exc)})
            return 401, {"erro": str(exc)}
        with self._lock:
            if self.statuses:
                status = self.statuses.pop(0)
                if status >= 300:
                    return status, {"erro": "falha simulada"}
            duplicate = delivery in self._seen
            self._seen.add(delivery)
            record = {
                "operation": path.rstrip("/").rsplit("/", 1)[-1],
                "delivery": delivery,
                "duplicate": duplicate,
                "message": message,
            }
            if not duplicate:
                self.received.append(record)
        if not duplicate and self.on_message is not None:
            self.on_message(record)
        return 200, {"recebido": True, "duplicada": duplicate}

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, MAX_BODY))
                status, answer = receiver.handle(self.path, self.headers, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet: the caller records what matters
                pass

        return Handler
