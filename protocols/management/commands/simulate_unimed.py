import json
import secrets
import string
import threading
import time
from datetime import datetime
from pathlib import Path

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from protocols.outbox.receiver import Receiver
from unimeds.models import TOTVS_RECEIVER_ACCEPTS, Unimed
from unimeds.services import service_account_create, unimed_endpoint_configure

# What a TOTVS receiver (PLSGPURest) gets to work: a new protocol (001/015) or one
# forwarded to it (013, the number in nr_protocolo_anterior).
ANSWERED = {
    "001": "solicitar_protocolo",
    "015": "solicitar_protocolo",
    "013": "encaminhar_execucao",
}
_TX_CHARS = string.ascii_uppercase + string.digits


class UnimedSimulator:
    """Plays an integrated Unimed: receives signed deliveries, records them (JSON
    lines), and answers each protocol it must work after `delay` seconds through the
    API with a service account (client credentials)."""

    def __init__(
        self,
        *,
        code: str,
        secret: str,
        port: int,
        api: str,
        client_id: str,
        client_secret: str,
        delay: float = 2.0,
        record: Path | None = None,
        answer: bool = True,
        out=None,
    ):
        self.code, self.api, self.delay, self.answer = code, api.rstrip("/"), delay, answer
        self.client_id, self.client_secret = client_id, client_secret
        self.record, self.out = record, out
        self.answers: list[dict] = []
        self._token: tuple[str, float] | None = None
        self._lock = threading.Lock()
        self.receiver = Receiver(secret, port=port, on_message=self._on_message)

    def start(self) -> "UnimedSimulator":
        self.receiver.start()
        return self

    def stop(self) -> None:
        self.receiver.stop()

    def _say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text)

    def _on_message(self, record: dict) -> None:
        line = json.dumps(
            {"recebido_em": datetime.now().isoformat(timespec="seconds"), **record},
            ensure_ascii=False,
        )
        with self._lock:
            if self.record is not None:
                with self.record.open("a", encoding="utf-8") as handle:
                    handle.write(line + "\n")
        self._say(line)
        message = record["message"]
        code = str(message.get("cabecalho_transacao", {}).get("cd_transacao", ""))
        body = message.get(ANSWERED.get(code, ""), {})
        number = body.get("nr_protocolo_anterior") if code == "013" else body.get("nr_protocolo")
        if (
            self.answer
            and number
            and message["cabecalho_transacao"].get("cd_uni_destino") == self.code
        ):
            timer = threading.Timer(self.delay, self._respond, args=(number, code == "015"))
            timer.daemon = True
            timer.start()

    def _access_token(self) -> str:
        if self._token and self._token[1] > time.monotonic() + 30:
            return self._token[0]
        response = requests.post(
            f"{self.api}/o/token/",
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, self.client_secret),
            timeout=10,
        )
        response.raise_for_status()
        data = response.json()
        self._token = (data["access_token"], time.monotonic() + int(data.get("expires_in", 300)))
        return self._token[0]

    def _respond(self, number: str, non_client: bool = False) -> None:
        """Answer as TOTVS does: 005 resposta_atendimento (017 for a non-client)."""
        block = "resposta_nao_cliente" if non_client else "resposta_atendimento"
        operation = "responderNaoCliente" if non_client else "responderAtendimento"
        message = {
            "cabecalho_transacao": {
                "cd_transacao": "017" if non_client else "005",
                "tp_cliente": "UNIMED",
                "cd_uni_origem": self.code,
                "cd_uni_destino": None,
                "nr_ans": None,
                "nr_transacao_prestadora": "".join(secrets.choice(_TX_CHARS) for _ in range(10)),
                "dt_manifestacao": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                "id_usuario": "simulador",
                "nr_versao_protocolo": "001",
            },
            block: {
                "nr_protocolo": number,
                "id_resposta": None,
                "mensagem": f"Resposta automática do simulador da Unimed {self.code}: solicitação analisada.",
            },
        }
        try:
            response = requests.post(
                f"{self.api}/api/v1/gpu/{operation}",
                json=message,
                timeout=10,
                headers={"Authorization": f"Bearer {self._access_token()}"},
            )
            result = {
                "nr_protocolo": number,
                "status_http": response.status_code,
                "resposta": response.json(),
            }
        except (requests.RequestException, ValueError) as exc:
            result = {"nr_protocolo": number, "erro": str(exc)}
        self.answers.append(result)
        self._say(json.dumps({"respondido": result}, ensure_ascii=False))


class Command(BaseCommand):
    help = (
        "Simula uma Unimed integrada: servidor HTTP que verifica as assinaturas das entregas, "
        "registra o que recebeu e responde os protocolos pela API após um atraso."
    )

    def add_arguments(self, parser):
        parser.add_argument("--codigo", required=True, help="Código da Unimed simulada")
        parser.add_argument("--port", type=int, required=True, help="Porta local (127.0.0.1)")
        parser.add_argument(
            "--secret", default="", help="Segredo de assinatura (padrão: o cadastrado)"
        )
        parser.add_argument(
            "--registrar",
            action="store_true",
            help="Cadastra http://127.0.0.1:<porta>/gpu como endpoint da Unimed",
        )
        parser.add_argument("--api", default=settings.GPU_BASE_URL, help="Endereço do hub GPU")
        parser.add_argument(
            "--client-id", default="", help="Conta de serviço (sem ela, uma é criada)"
        )
        parser.add_argument("--client-secret", default="")
        parser.add_argument("--atraso", type=float, default=2.0, help="Segundos até responder")
        parser.add_argument(
            "--arquivo", default="", help="Arquivo JSON lines com o que foi recebido"
        )
        parser.add_argument("--sem-resposta", action="store_true", help="Só recebe; não responde")
        parser.add_argument(
            "--aceita",
            default=",".join(TOTVS_RECEIVER_ACCEPTS),
            help="Com --registrar: códigos que o receptor aceita (padrão: os de um TOTVS)",
        )

    def handle(self, *args, **o):
        unimed = Unimed.objects.filter(code=o["codigo"]).first()
        if unimed is None:
            raise CommandError(f"Unimed {o['codigo']} não cadastrada.")
        secret = o["secret"] or unimed.signing_secret
        if not secret:
            raise CommandError(
                "Informe --secret (a Unimed não tem segredo de assinatura cadastrado)."
            )
        if o["registrar"]:
            unimed_endpoint_configure(
                actor=None,
                unimed=unimed,
                url=f"http://127.0.0.1:{o['port']}/gpu",
                secret=secret,
                accepts=[c.strip() for c in o["aceita"].split(",") if c.strip()],
            )
        client_id, client_secret = o["client_id"], o["client_secret"]
        if not o["sem_resposta"] and not (client_id and client_secret):
            account, client_secret = service_account_create(
                unimed=unimed, name=f"Simulador {unimed.code}"
            )
            client_id = account.client_id
            self.stdout.write(f"Conta de serviço criada para o simulador: client_id={client_id}")
        simulator = UnimedSimulator(
            code=unimed.code,
            secret=secret,
            port=o["port"],
            api=o["api"],
            client_id=client_id,
            client_secret=client_secret,
            delay=o["atraso"],
            answer=not o["sem_resposta"],
            record=Path(o["arquivo"]) if o["arquivo"] else None,
            out=self.stdout,
        ).start()
        self.stdout.write(
            f"Unimed {unimed.code} simulada em http://127.0.0.1:{simulator.receiver.port}/gpu "
            "(Ctrl+C para sair)"
        )
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            simulator.stop()
