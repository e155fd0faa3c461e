"""PostgreSQL restarted under 4 concurrent API clients: while it is down every answer
is 503 JSON with Retry-After (never a 500 page), after it 201, with no web process
restarted; clients that retry with the same nr_transacao_prestadora get exactly one
protocol each, and the day's numbers stay gap-free. The worker and beat live through
the restart too: every protocol's delivery reaches the integrated destination.

The web server (gunicorn, 2 processes × 4 threads, persistent connections), the worker,
beat, the cluster and Redis are this test's own; the shared services are never touched."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import psycopg
import pytest

from protocols.outbox.receiver import Receiver
from tests.conftest import ROOT
from tests.faults.conftest import FAST
from tests.faults.services import free_port, wait_until
from tests.gpu_api.conftest import SECRET, solicitar_message

pytestmark = [pytest.mark.faults]

CLIENTS, PER_CLIENT = 4, 5
SEED = """
from tests.factories import UnimedFactory, service_token
from unimeds.services import unimed_set_area
a = UnimedFactory(code="0137", ans_registry="322831", name="Unimed Teste 0137", uf="SP")
b = UnimedFactory(code="0025", ans_registry="302147", name="Unimed Teste 0025", uf="SC")
unimed_set_area(unimed=a, municipality_codes=["3550308"])
unimed_set_area(unimed=b, municipality_codes=["4205407"])
import os
a.is_integrated, a.endpoint_url, a.signing_secret = True, os.environ["GPU_TEST_RECEIVER"], os.environ["GPU_TEST_SECRET"]
a.save()
print("TOKEN=" + service_token(b, expires_in=3600))
"""


@pytest.fixture
def receiver():
    got = Receiver(SECRET).start()
    yield got
    got.stop()


@pytest.fixture
def web(private_postgres, private_redis, receiver, tmp_path):
    database = f"gpu_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(private_postgres.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    env = {
        **os.environ,
        "DATABASE_URL": private_postgres.url(database),
        "GPU_DEBUG": "1",
        "REDIS_URL": private_redis.url,
        "GPU_CELERY_EAGER": "0",
        "GPU_MEDIA_ROOT": str(tmp_path),
        "GPU_LOG_LEVEL": "WARNING",
        "GPU_OUTAGE_RETRY_AFTER_SECONDS": "1",
        "GPU_TEST_RECEIVER": receiver.url,
        "GPU_TEST_SECRET": SECRET,
        **FAST,
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    seeded = subprocess.run(
        [*manage, "shell", "-c", SEED],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    token = seeded.stdout.split("TOKEN=", 1)[1].strip()
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "gpu_project.wsgi",
            "-w",
            "2",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    celery = [sys.executable, "-m", "celery", "-A", "gpu_project"]
    worker = subprocess.Popen(
        [
            *celery,
            "worker",
            "-P",
            "threads",
            "-c",
            "4",
            "-n",
            "pg@faults",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=ERROR",
        ],
        cwd=ROOT,
        env=env,
    )
    beat = subprocess.Popen(
        [*celery, "beat", "--loglevel=ERROR", "-s", str(tmp_path / "beat-schedule")],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _get(base + "/healthz") == 200, timeout=30, what="o gunicorn")
    yield {
        "base": base,
        "token": token,
        "server": server,
        "worker": worker,
        "db": private_postgres.url(database),
    }
    for proc in (server, worker, beat):
        proc.terminate()
    for proc in (server, worker, beat):
        proc.wait(timeout=20)


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def _post(url: str, token: str, body: dict) -> tuple[int, dict, str]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",  # noqa: S310
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def _sign_in_form(base: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A browser session on the sign-in page: its cookie jar and the form's CSRF token."""
    import http.cookiejar
    import re

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(base + "/entrar/", timeout=10) as response:
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()
        ).group(1)
    return opener, token


def _sign_in(base: str, opener, token: str) -> tuple[int, dict, str]:
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "ninguem", "password": "x"}
    ).encode()
    request = urllib.request.Request(
        base + "/entrar/", data=data, headers={"Referer": base + "/entrar/"}
    )
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def test_postgres_restart_under_concurrent_clients(web, private_postgres, receiver):
    url = web["base"] + "/api/v1/gpu/solicitarProtocolo"
    browser, csrf = _sign_in_form(web["base"])
    answers: list[tuple[str, int, dict, str]] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for k in range(PER_CLIENT):
            tx = f"PG{n:02d}{k:06d}"
            message = solicitar_message(tx, tp_manifestacao="S")
            for _attempt in range(200):  # the same transaction id until it is accepted
                status, headers, text = _post(url, web["token"], message)
                with lock:
                    answers.append((tx, status, headers, text))
                if status != 503:
                    break
                time.sleep(0.2)
            time.sleep(0.2)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    wait_until(
        lambda: sum(1 for a in answers if a[1] == 201) >= 4, timeout=60, what="os primeiros 201"
    )
    private_postgres.stop()
    wait_until(
        lambda: sum(1 for a in answers if a[1] == 503) >= CLIENTS, timeout=60, what="503 na queda"
    )
    # A panel form during the outage: the same 503 JSON, not a 500 page.
    status, headers, text = _sign_in(web["base"], browser, csrf)
    assert (status, headers.get("Retry-After")) == (503, "1") and json.loads(text)[
        "codigo"
    ] == "servico_indisponivel"
    assert _get(web["base"] + "/healthz") == 503
    private_postgres.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    statuses = {status for _tx, status, _h, _t in answers}
    assert statuses <= {201, 503}, [
        a[:2] + (a[3][:200],) for a in answers if a[1] not in (201, 503)
    ]
    for _tx, status, headers, text in answers:
        if status == 503:
            assert (
                headers.get("Retry-After") == "1"
                and headers.get("Content-Type") == "application/json"
            )
            assert json.loads(text)["codigo"] == "servico_indisponivel"
    accepted = {tx for tx, status, _h, _t in answers if status == 201}
    assert len(accepted) == CLIENTS * PER_CLIENT  # every transaction got its 201
    assert web["server"].poll() is None  # the same web server, never restarted
    assert (
        _sign_in(web["base"], browser, csrf)[0] == 200
    )  # the panel form answers again (wrong password)

    with psycopg.connect(web["db"]) as conn:
        rows = conn.execute(
            "SELECT m.transaction_id, p.number FROM protocols_inboundmessage m "
            "JOIN protocols_protocol p ON p.id = m.protocol_id"
        ).fetchall()
        protocols = conn.execute("SELECT count(*) FROM protocols_protocol").fetchone()[0]
    assert sorted(tx for tx, _number in rows) == sorted(accepted)  # one per transaction id
    assert protocols == CLIENTS * PER_CLIENT
    sequence = sorted(int(number[-6:]) for _tx, number in rows)
    assert sequence == list(range(sequence[0], sequence[0] + len(sequence)))  # gap-free

    # The worker lived through the restart: every protocol reaches the integrated 0137
    # (at most twice on the wire when an outcome could not be recorded while it was down).
    wait_until(
        lambda: len(receiver.received) == CLIENTS * PER_CLIENT, timeout=90, what="as 20 entregas"
    )
    assert web["worker"].poll() is None
    with psycopg.connect(web["db"]) as conn:
        deliveries = {
            str(u) for (u,) in conn.execute("SELECT uuid FROM protocols_delivery").fetchall()
        }
    assert len(deliveries) == CLIENTS * PER_CLIENT  # one delivery per protocol
    assert {r["delivery"] for r in receiver.received} == deliveries
    assert all(receiver.attempts.count(d) <= 2 for d in set(receiver.attempts))
