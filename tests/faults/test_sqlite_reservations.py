"""Embedded mode (SQLite file, no services): sellers of 8 Unimeds reserve the same CNPJ
at the same instant against a real multi-threaded server. Exactly one gets 201, the
others 409 "reserva_existente" — never a 500 from "database is locked": write
transactions begin IMMEDIATE and wait for each other (a database still busy after the
timeout would answer 409 "conflito_concorrente", also never a 500)."""

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from tests.conftest import ROOT
from tests.faults.services import free_port, wait_until

pytestmark = [pytest.mark.faults]

CONTENDERS = 8
SEED = f"""
from tests.factories import UnimedFactory, service_token, staff_user
from unimeds.models import Role
for n in range({CONTENDERS}):
    unimed = UnimedFactory(code=f"{{7000 + n:04d}}", ans_registry=f"{{700000 + n:06d}}")
    seller = staff_user(unimed, Role.VENDEDOR, username=f"vend.{{unimed.code}}")
    print(f"TOKEN={{service_token(unimed)}};{{seller.username}}")
"""


def _post(url: str, token: str, body: dict) -> tuple[int, str]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",  # noqa: S310
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local test server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_concurrent_reservations_on_sqlite_one_winner_others_409(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gpu.sqlite3'}",
        "GPU_DEBUG": "1",
        "REDIS_URL": "",
        "GPU_MEDIA_ROOT": str(tmp_path),
        "GPU_LOG_LEVEL": "WARNING",
    }
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
    ).stdout
    contenders = [line[6:].split(";") for line in seeded.splitlines() if line.startswith("TOKEN=")]
    assert len(contenders) == CONTENDERS
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
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until(lambda: _ready(port), timeout=30, what="o gunicorn")
        barrier = threading.Barrier(CONTENDERS)
        results: list[tuple[int, str]] = []

        def attempt(token: str, seller: str) -> None:
            barrier.wait(timeout=30)
            results.append(
                _post(
                    f"http://127.0.0.1:{port}/api/v1/reservas-mercado/",
                    token,
                    {"documento": "12.ABC.345/01DE-35", "vendedor": seller},
                )
            )

        threads = [threading.Thread(target=attempt, args=c) for c in contenders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
    finally:
        server.terminate()
        server.wait(timeout=15)
    statuses = sorted(status for status, _body in results)
    assert statuses == [201] + [409] * (CONTENDERS - 1), results
    for status, body in results:
        if status == 409:
            assert (
                json.loads(body)["codigo"] == "reserva_existente"
            )  # they waited: none was refused busy


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False
