"""Misbehaving receivers for the fault suite: answers with chosen status and headers,
a receiver that trickles its answer a byte at a time, one that hangs."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from protocols.outbox.signing import DELIVERY_HEADER


class ScriptedReceiver:
    """Answers each POST with `status` and `headers`; when `trickle_seconds` is set,
    sends the headers at once and then one body byte per `trickle_every` seconds for
    that long. Records every X-GPU-Delivery and how many are in flight at once."""

    def __init__(
        self,
        *,
        status: int = 200,
        headers: dict | None = None,
        trickle_seconds: float = 0.0,
        trickle_every: float = 0.2,
        hang_seconds: float = 0.0,
    ):
        self.status, self.headers = status, dict(headers or {})
        self.trickle_seconds, self.trickle_every, self.hang_seconds = (
            trickle_seconds,
            trickle_every,
            hang_seconds,
        )
        self.attempts: list[str] = []
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.finished: list[str] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/gpu"

    def start(self) -> "ScriptedReceiver":
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _enter(self, delivery: str) -> None:
        with self._lock:
            self.attempts.append(delivery)
            self.in_flight[delivery] = self.in_flight.get(delivery, 0) + 1
            self.max_in_flight[delivery] = max(
                self.max_in_flight.get(delivery, 0), self.in_flight[delivery]
            )

    def _leave(self, delivery: str, completed: bool) -> None:
        with self._lock:
            self.in_flight[delivery] -= 1
            if completed:
                self.finished.append(delivery)

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's naming
                delivery = self.headers.get(DELIVERY_HEADER, "")
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver._enter(delivery)
                completed = False
                try:
                    if receiver.hang_seconds:
                        time.sleep(receiver.hang_seconds)
                    body = b'{"recebido": true}' + b" " * 400
                    self.send_response(receiver.status)
                    for name, value in receiver.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.flush()
                    if receiver.trickle_seconds:
                        stop = time.monotonic() + receiver.trickle_seconds
                        sent = 0
                        while time.monotonic() < stop and sent < len(body) - 1:
                            self.wfile.write(body[sent : sent + 1])
                            self.wfile.flush()
                            sent += 1
                            time.sleep(receiver.trickle_every)
                        self.wfile.write(body[sent:])
                    else:
                        self.wfile.write(body)
                    completed = True
                except OSError:  # the sender hung up (deadline)
                    pass
                finally:
                    receiver._leave(delivery, completed)

            def log_message(self, *args):
                pass

        return Handler
