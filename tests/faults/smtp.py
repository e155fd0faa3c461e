"""A real SMTP server (aiosmtpd) the fault suite starts and stops."""

import email
import threading
from email.header import decode_header, make_header

from aiosmtpd.controller import Controller

from tests.faults.services import free_port


class Sink:
    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        parsed = email.message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(parsed["Subject"] or "")))
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), subject))
        return "250 OK"


class SmtpServer:
    """`start()` / `stop()` a local SMTP server on a fixed port, as often as needed."""

    def __init__(self):
        self.port = free_port()
        self.sink = Sink()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "SmtpServer":
        self._controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
