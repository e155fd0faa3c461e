"""Benchmark: an A400 file of 200,000 lines imported on PostgreSQL as a background job.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gpu_a400_bench .venv/bin/python bench/a400_import.py

Generates the file (every line a new cooperado, a few rejected lines), migrates the
database, then in a child process stores the file and runs the import job exactly as
the worker does (cooperados.services.a400_jobs), with the server-side parameter
binding of production. Prints lines/s, the counts, the report size and the child's
peak RSS (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss). Target: completes, peak
RSS < 200 MB. Run it twice to see the "sem alteração" path (nothing changes).
Env: GPU_BENCH_LINES (default 200000).
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pgdb import ensure_postgres_database  # noqa: E402 - bench/ is the script folder

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gpu_a400_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gpu_project.settings")
# As a production worker: DEBUG off (DEBUG keeps every SQL statement in memory).
os.environ["GPU_DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("GPU_SECURE", "0")
os.environ["GPU_CELERY_EAGER"] = (
    "0"  # the upload only queues (memory broker); the child runs the job
)
os.environ.setdefault("GPU_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "gpu-bench-media"))
LINES = int(os.environ.get("GPU_BENCH_LINES", "200000"))
UFS = ("SP", "SC", "PR", "RS", "MG")


def generate(path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("401;0137;20260115;1.0\n")
        for n in range(LINES):
            if n % 10_000 == 9_999:
                out.write(f"402;I;{n + 1};Linha Ruim;x;;;;PRESTADOR;\n")  # rejected: login
                continue
            uf = UFS[n % len(UFS)]
            out.write(
                f"402;I;{n + 1};Cooperado Bench {n};{n + 100000}{uf};{n + 100000};{uf};;PRESTADOR;"
                f"medico{n}@bench.example\n"
            )
        out.write(f"409;{LINES}\n")


def child(path: str) -> None:
    import django

    django.setup()
    from cooperados.services.a400_jobs import a400_import_job_run, a400_import_request
    from unimeds.actors import system_actor
    from unimeds.models import Unimed

    Unimed.objects.get_or_create(
        code="0137", defaults={"ans_registry": "322831", "name": "Unimed Bench 0137", "uf": "SP"}
    )

    def chunks():
        with open(path, "rb") as handle:
            while chunk := handle.read(1024 * 1024):
                yield chunk

    started = time.monotonic()
    job = a400_import_request(actor=system_actor(), chunks=chunks(), filename=Path(path).name)
    queued = time.monotonic() - started
    job = a400_import_job_run(job_id=job.pk)
    elapsed = time.monotonic() - started
    print(
        f"arquivo conferido e guardado em {queued:.1f} s; importação: {job.get_status_display()} em "
        f"{elapsed:.1f} s ({job.total / elapsed:,.0f} linhas/s); {job.counts}; erro: {job.error or '-'}"
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    ensure_postgres_database(os.environ["DATABASE_URL"])
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True
    )
    path = Path(tempfile.gettempdir()) / f"a400-bench-{LINES}.txt"
    generate(path)
    print(f"{LINES:,} linhas, {path.stat().st_size / 1e6:.1f} MB")
    subprocess.run([sys.executable, __file__, "--child", str(path)], cwd=ROOT, check=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"pico de memória (RSS) do processo que importou: {peak:.0f} MB (alvo < 200 MB)")
    sys.exit(0 if peak < 200 else 1)


if __name__ == "__main__":
    main()
