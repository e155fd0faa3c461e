"""No fixed SECRET_KEY outside the test run (issue #16): debug mode used a key printed in
the source; the embedded mode now makes a random one once and keeps it under var/."""

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_KEY = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='gpu_project.settings'; django.setup(); "
    "from django.conf import settings; print(settings.SECRET_KEY)"
)


def _run(env_extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "GPU_DEBUG")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-c", PRINT_KEY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_mode_makes_and_keeps_a_random_key(tmp_path):
    key_file = tmp_path / "secret_key"
    first = _run({"GPU_DEBUG": "1", "GPU_SECRET_KEY_FILE": str(key_file)})
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50 and "insecure" not in key and key == key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _run({"GPU_DEBUG": "1", "GPU_SECRET_KEY_FILE": str(key_file)}).stdout.strip() == key
    other = _run({"GPU_DEBUG": "1", "GPU_SECRET_KEY_FILE": str(tmp_path / "outra")}).stdout.strip()
    assert other and other != key


def test_production_without_a_key_refuses_to_start():
    result = _run({})
    assert result.returncode != 0 and "SECRET_KEY é obrigatório" in result.stderr
