"""Benchmark: the protocol report over 1,000,000 protocols on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gpu_reports_bench .venv/bin/python bench/report_protocols.py

Loads the protocols once (INSERT … SELECT generate_series), then, each in its own
child process:

1. the real code path: a ReportJob built by reports.build.report_job_build
   (what the Celery task runs) — selector, `.iterator()`, typed write-only xlsx,
   progress UPDATEs, file saved to storage;
2. a baseline: the same rows, already converted and held in a list in memory,
   written with a plain openpyxl write-only workbook (only the writing is timed).

Prints rows/s of both and the report child's peak RSS
(resource.getrusage(RUSAGE_CHILDREN).ru_maxrss), and checks that the first
CHECK_LINES lines of both files hold the same values. Targets: ≥ 70 % of the
baseline's rows/s and peak RSS < 200 MB. Exit status 1 when a target or the check
fails.
Env: GPU_BENCH_ROWS (default 1000000), GPU_BENCH_TIMEOUT seconds per child (900).
`--seed` only loads the protocols (run it outside the benchmark lock).
"""

import contextlib
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pgdb import ensure_postgres_database  # noqa: E402 - bench/ is the script folder

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gpu_reports_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gpu_project.settings")
os.environ.setdefault("GPU_DEBUG", "1")
os.environ["GPU_CELERY_EAGER"] = "0"  # the parent only creates the job; a child builds it
os.environ.setdefault("GPU_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "gpu-bench-media"))

ROWS = int(os.environ.get("GPU_BENCH_ROWS", "1000000"))
TIMEOUT = int(os.environ.get("GPU_BENCH_TIMEOUT", "900"))
PARAMS = {"start": "2025-12-01", "end": "2026-11-30"}
CPFS = ("52998224725", "39053344705")
CHECK_LINES = 5000  # lines compared cell by cell between the report and the baseline


def _create_database() -> None:
    ensure_postgres_database(os.environ["DATABASE_URL"])


def _setup_django() -> None:
    import django

    django.setup()


def _fixtures():
    from django.contrib.auth import get_user_model

    from unimeds.models import Membership, RoleGrant, Unimed

    unimed, _ = Unimed.objects.get_or_create(
        code="0137", defaults={"ans_registry": "322831", "name": "Unimed Bench 0137", "uf": "SP"}
    )
    user, _ = get_user_model().objects.get_or_create(
        username="gestor.bench", defaults={"email": "g@bench.example"}
    )
    membership, _ = Membership.objects.get_or_create(user=user, defaults={"unimed": unimed})
    RoleGrant.objects.get_or_create(membership=membership, role="gestor")
    return unimed, user


def _load_protocols(unimed) -> None:
    """1M protocols of 0137 over a year, 70 % answered, with their party rows."""
    from django.db import connection, transaction

    from protocols.models import Protocol

    existing = Protocol.objects.filter(
        responsible_unimed=unimed, number__startswith=unimed.ans_registry
    ).count()
    if existing == ROWS:
        print(f"Protocolos já carregados: {existing:,}".replace(",", "."))
        return
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM protocols_protocolparty WHERE protocol_id IN "
            "(SELECT id FROM protocols_protocol WHERE responsible_unimed_id = %s)",
            [unimed.pk],
        )
        cursor.execute(
            "DELETE FROM protocols_protocol WHERE responsible_unimed_id = %s", [unimed.pk]
        )
        cursor.execute(
            """
            INSERT INTO protocols_protocol (
                number, externally_numbered, kind, channel, status, responsible_reason, requester_name,
                requester_cpf, card, phone_ddd, phone, email, uf, city_code, answer_preference, message,
                previous_number, sender_transaction_id, intercambio_transaction_id, opened_at, opened_on,
                deadline_rule, deadline_days, deadline_start, due_date, answered_at, closed_at, cancelled_at,
                cancel_reason, reopen_count, event_count, updated_at, category_id, manifestation_type_id,
                origin_unimed_id, responsible_unimed_id, serving_unimed_id)
            SELECT %(ans)s || to_char(g.day, 'YYYYMMDD') || lpad((500000 + g.i / 365)::text, 6, '0'),
                   false, 'beneficiario', (ARRAY['PORTAL','UNIMED','CONTINGENCIA','GUIA_MEDICO','WHATSAPP'])[1 + g.i %% 5],
                   CASE WHEN g.i %% 10 < 7 THEN 'respondido' WHEN g.i %% 10 = 7 THEN 'cancelado' ELSE 'aberto' END,
                   'carteirinha', 'Beneficiária ' || g.i, (ARRAY[%(cpf1)s, %(cpf2)s])[1 + g.i %% 2],
                   '0137' || lpad(g.i::text, 13, '0'), '11', '987654321', 'b' || g.i || '@example.com.br',
                   'SP', '3550308', 1, 'Mensagem do protocolo ' || g.i, '', '', '',
                   g.opened_at, g.day, 'dias_uteis', 7, g.day, g.day + 9,
                   CASE WHEN g.i %% 10 < 7 THEN g.opened_at + make_interval(days => g.i %% 12) END,
                   NULL, CASE WHEN g.i %% 10 = 7 THEN g.opened_at + interval '1 hour' END,
                   '', 0, 2, g.opened_at, c.id, m.id, %(unimed)s, %(unimed)s, %(unimed)s
            FROM (SELECT i, DATE '2025-12-01' + (i %% 365) AS day,
                         ((DATE '2025-12-01' + (i %% 365))::timestamp + make_interval(secs => 28800 + i %% 36000))
                             AT TIME ZONE 'America/Sao_Paulo' AS opened_at
                  FROM generate_series(0, %(n)s - 1) AS i) AS g
            JOIN protocols_category c ON c.code = 1 + g.i %% 4
            JOIN protocols_manifestationtype m ON m.code = (ARRAY['I','R','S','E'])[1 + g.i %% 4]
            """,
            {
                "ans": unimed.ans_registry,
                "cpf1": CPFS[0],
                "cpf2": CPFS[1],
                "n": ROWS,
                "unimed": unimed.pk,
            },
        )
        cursor.execute(
            "INSERT INTO protocols_protocolparty (role, protocol_id, unimed_id) "
            "SELECT 'responsavel', id, %s FROM protocols_protocol WHERE responsible_unimed_id = %s",
            [unimed.pk, unimed.pk],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE protocols_protocol")
        cursor.execute("ANALYZE protocols_protocolparty")
    print(f"Carga: {ROWS:,} protocolos em {time.monotonic() - started:.1f} s".replace(",", "."))


def _new_job(user):
    from django.db import transaction

    from reports import report_request
    from reports.models import ReportJob
    from unimeds.actors import actor_for_user

    ReportJob.objects.filter(requested_by=user).delete()
    with transaction.atomic():
        job = report_request(
            actor=actor_for_user(user), key="protocolos", params=PARAMS, fmt="xlsx"
        )
    return job.pk


def _child(args: list[str]) -> dict:
    env = dict(os.environ)
    completed = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        cwd=ROOT,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr[-4000:])
        sys.exit(f"processo filho falhou: {args}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- children -------------------------------------------------------------------
def child_report(job_id: int) -> None:
    _setup_django()
    from reports.build import report_job_build
    from reports.models import ReportJob

    started = time.perf_counter()
    job = report_job_build(job_id=job_id)
    seconds = time.perf_counter() - started
    if job is None:
        job = ReportJob.objects.get(pk=job_id)
        print(json.dumps({"erro": job.error}))
        sys.exit(1)
    print(
        json.dumps(
            {
                "rows": job.rows_written,
                "seconds": seconds,
                "bytes": job.file_size,
                "path": job.file.path,
            }
        )
    )


def child_baseline(job_id: int, out_path: str) -> None:
    _setup_django()
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from openpyxl import Workbook

    from reports import get_definition
    from reports.models import ReportJob
    from reports.services import clean_params, job_actor

    job = ReportJob.objects.get(pk=job_id)
    definition = get_definition("protocolos")
    actor = job_actor(job)
    params, _ = clean_params(definition, job.params)
    tz = ZoneInfo(settings.TIME_ZONE)

    def plain(value):  # what the report's cells hold: local time to the second, Sim/Não
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.astimezone(tz).replace(tzinfo=None)
            return value.replace(microsecond=0)
        if value is True or value is False:
            return "Sim" if value else "Não"
        return value

    started = time.perf_counter()
    rows = [tuple(plain(v) for v in row) for row in definition.rows(actor, params)]  # not timed
    list_seconds = time.perf_counter() - started
    header = [c.header for c in definition.columns]
    with open(out_path, "wb") as fh:
        started = time.perf_counter()
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title="Protocolos")
        ws.append(header)
        for row in rows:
            ws.append(row)
        wb.save(fh)
        seconds = time.perf_counter() - started
        size = fh.tell()
    print(
        json.dumps(
            {"rows": len(rows), "seconds": seconds, "bytes": size, "list_seconds": list_seconds}
        )
    )


def same_cells(report_path: str, baseline_path: str, limit: int) -> bool:
    """The first `limit` lines of both files hold the same values (the honesty check:
    the baseline writes the same rows, and the report's cells are typed the same)."""
    from openpyxl import load_workbook

    def head(path):
        wb = load_workbook(path, read_only=True)
        try:
            return list(itertools.islice(wb.active.iter_rows(values_only=True), limit))
        finally:
            wb.close()

    ours, theirs = head(report_path), head(baseline_path)
    if len(ours) != len(theirs):
        print(f"Linhas lidas: relatório {len(ours)}, baseline {len(theirs)}")
        return False
    for number, (mine, other) in enumerate(zip(ours, theirs, strict=True), 1):
        if mine != other:
            print(f"Linha {number} difere:\n  relatório {mine}\n  baseline  {other}")
            return False
    return True


def main() -> int:
    _create_database()
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    unimed, user = _fixtures()
    _load_protocols(unimed)
    job_id = _new_job(user)

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    load_report = os.getloadavg()[0]
    before = cpu()
    report = _child(["--child-report", str(job_id)])
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
    report_cpu = cpu() - before
    load_baseline = os.getloadavg()[0]
    before = cpu()
    baseline_path = str(Path(tempfile.gettempdir()) / f"gpu-bench-baseline-{os.getpid()}.xlsx")
    try:
        baseline = _child(["--child-baseline", str(job_id), baseline_path])
        baseline_cpu = cpu() - before  # includes building the in-memory list (not timed in wall)
        same = same_cells(report["path"], baseline_path, CHECK_LINES)
    finally:
        for path in (baseline_path, report["path"]):
            with contextlib.suppress(OSError):
                os.remove(path)

    report_rate = report["rows"] / report["seconds"]
    baseline_rate = baseline["rows"] / baseline["seconds"]
    ratio = report_rate / baseline_rate
    peak_mb = peak_kb / 1024
    ok_speed, ok_memory = ratio >= 0.70, peak_mb < 200
    fmt = lambda n: f"{n:,.0f}".replace(",", ".")  # noqa: E731
    print(f"Linhas: relatório {fmt(report['rows'])} | baseline {fmt(baseline['rows'])}")
    print(
        f"Relatório (código real, PostgreSQL → xlsx): {report['seconds']:.1f} s, {fmt(report_rate)} linhas/s, "
        f"arquivo {report['bytes'] / 1e6:.1f} MB"
    )
    print(
        f"Baseline (openpyxl write-only, lista em memória): {baseline['seconds']:.1f} s, "
        f"{fmt(baseline_rate)} linhas/s"
    )
    print(f"Razão: {ratio:.0%} da baseline (meta ≥ 70%) {'OK' if ok_speed else 'FALHOU'}")
    print(
        f"CPU do processo (usuário+sistema; a baseline inclui montar a lista, "
        f"{baseline['list_seconds']:.1f} s): relatório {report_cpu:.1f} s "
        f"({report_cpu / report['rows'] * 1e6:.0f} µs/linha), baseline {baseline_cpu:.1f} s; "
        f"carga da máquina ao iniciar: relatório {load_report:.1f}, baseline {load_baseline:.1f} (2 núcleos)"
    )
    print(
        f"Conferência: as primeiras {fmt(CHECK_LINES)} linhas dos dois arquivos têm os mesmos valores: "
        f"{'sim' if same else 'NÃO'}"
    )
    print(
        f"Pico de RSS do processo do relatório: {peak_mb:.0f} MB (meta < 200 MB) {'OK' if ok_memory else 'FALHOU'}"
    )
    return (
        0 if report["rows"] == baseline["rows"] == ROWS and same and ok_speed and ok_memory else 1
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child-report":
        child_report(int(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "--child-baseline":
        child_baseline(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1:] == ["--seed"]:  # load only (may run outside the bench lock)
        _create_database()
        _setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        _load_protocols(_fixtures()[0])
    else:
        sys.exit(main())
