"""`make run PORT=…`: the site address in e-mails follows the port the server listens on."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make não instalado")
def test_make_run_gives_the_server_and_the_seed_one_base_url_from_port():
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    runserver = next(line for line in plan.splitlines() if "runserver" in line)
    assert "GPU_BASE_URL=http://127.0.0.1:8123 " in runserver
    assert runserver.rstrip().endswith("127.0.0.1:8123")
    seed = next(line for line in plan.splitlines() if "seed_demo" in line)
    assert "GPU_BASE_URL=http://127.0.0.1:8123 " in seed


def test_e_mail_links_start_from_the_one_setting(settings):
    from core.mail import site_url

    settings.GPU_BASE_URL = "http://127.0.0.1:8123/"
    assert site_url("/painel/") == "http://127.0.0.1:8123/painel/"
