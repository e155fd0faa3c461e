"""Server-side latency of the panel inbox over 1,000,000 protocols (PostgreSQL).

    .venv/bin/python bench/seed_protocols.py     # once: loads gpu_panel_bench
    .venv/bin/python bench/panel_inbox.py

Runs the real view in-process, signed in as an atendente of 0137, the Unimed
responsible for 30 % of the protocols: the process starts as the web server's does
(gpu_project.wsgi, gc.freeze() included); the warm-up goes through Django's test Client,
which gives each scenario's queries per page and rows; the timed requests go straight
into gpu_project.wsgi.application with the session cookie (middleware, session, actor,
selectors, template, audit row, request_started/finished and the database health check
as in production). Not the test Client there: it reconnects signal receivers on every
request, and the weakref finalizers that leaves (3 a request) kept growing the garbage
collector's work during a run. Each scenario is requested GPU_BENCH_REPEAT times
(default 60) after the warm-up, the scenarios taking turns (round robin); prints
wall-clock p50/p95 in ms, the Django process's own CPU time p50 (what remains when the
machine is busy with other work), the queries per page, which must be the same for
every scenario (full page and htmx table alike), and how many full (generation 2)
garbage collections fell inside the scenario's timed requests: with GPU_BENCH_REPEAT=30
a single long one decides a scenario's p95 (the interpolation between its two slowest
samples). Exit status 1 when p50 ≥ 20 ms or p95 ≥ 60 ms for any scenario, or the query
count varies.
"""

import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gpu_panel_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gpu_project.settings")
# Production-like: no DEBUG (no query log), but plain HTTP and unhashed static names.
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ["GPU_DEBUG"] = "0"
os.environ.setdefault("GPU_SECURE", "0")
os.environ.setdefault("GPU_STATIC_MANIFEST", "0")
os.environ.setdefault("GPU_LOG_LEVEL", "WARNING")

REPEAT = int(os.environ.get("GPU_BENCH_REPEAT", "60"))
P50_MS, P95_MS = 20.0, 60.0


def scenarios() -> list[tuple[str, dict, dict]]:
    from django.contrib.auth import get_user_model

    from protocols.models import Protocol
    from protocols.numbering import local_day
    from unimeds.models import Unimed

    colleague = get_user_model().objects.get(username="atendente.bench.1")

    unimed = Unimed.objects.get(code="0137")
    sample = (
        Protocol.objects.filter(responsible_unimed=unimed)
        .exclude(requester_cpf="")
        .order_by("-id")
        .first()
    )
    week_ago = local_day().toordinal() - 7
    from datetime import date

    htmx = {"HTTP_HX_REQUEST": "true"}
    return [
        ("recebidos (padrão)", {}, {}),
        ("recebidos, página 5", {"pagina": "5"}, {}),
        ("recebidos, htmx", {}, htmx),
        ("enviados", {"aba": "enviados"}, {}),
        ("vencendo", {"aba": "vencendo"}, {}),
        ("vencidos", {"aba": "vencidos"}, {}),
        ("ordem: prazo", {"ordem": "prazo"}, {}),
        ("ordem: nome", {"ordem": "nome"}, {}),
        ("filtro: situação", {"situacao": "respondido"}, {}),
        ("filtro: situação rara", {"situacao": "reaberto"}, {}),
        ("filtro: tipo + categoria", {"tipo": "S", "categoria": "3"}, {}),
        ("filtro: canal", {"canal": "WHATSAPP"}, {}),
        ("filtro: período 7 dias", {"de": date.fromordinal(week_ago).isoformat()}, {}),
        ("filtro: origem", {"origem": "2005"}, {}),
        ("filtro: vence hoje", {"prazo": "hoje"}, {}),
        ("meus (tempo restante)", {"aba": "meus"}, {}),
        ("meus, htmx", {"aba": "meus"}, htmx),
        ("meus, ordem: abertura", {"aba": "meus", "ordem": "-abertura"}, {}),
        ("filtro: atribuído a colega", {"dono": str(colleague.pk)}, {}),
        ("filtro: não atribuídos", {"dono": "nenhum"}, {}),
        ("busca: número", {"q": sample.number}, htmx),
        ("busca: início do número", {"q": sample.number[:14]}, htmx),
        ("busca: CPF", {"q": sample.requester_cpf}, htmx),
        ("busca: carteirinha", {"q": sample.card}, htmx),
        ("busca: nome completo", {"q": sample.requester_name}, htmx),
        ("busca: sobrenome comum", {"q": "silva"}, htmx),
        ("busca + filtro", {"q": "silva", "situacao": "aberto", "aba": "recebidos"}, htmx),
    ]


def main() -> None:
    import importlib

    # The web process's own startup (django.setup() and gc.freeze()); the test Client
    # then runs the same application stack in this process.
    application = importlib.import_module("gpu_project.wsgi").application
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()  # the test Client exposes response.context (rows per page)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from protocols.models import Protocol

    if connection.vendor != "postgresql":
        sys.exit("Use PostgreSQL (DATABASE_URL).")
    total = Protocol.objects.count()
    if total < 900_000:
        sys.exit(f"Só {total} protocolos: rode bench/seed_protocols.py antes.")
    client = Client()
    client.force_login(get_user_model().objects.get(username="atendente.bench"))
    print(
        f"{total:,} protocolos; {REPEAT} requisições por cenário (após aquecimento)".replace(
            ",", "."
        )
    )
    print(
        f"load average: {os.getloadavg()[0]:.1f} em {os.cpu_count()} CPUs (tempos de parede sofrem com a carga)"
    )
    failed, query_counts, timings, cpu, rows = False, {}, {}, {}, {}
    cases = scenarios()
    for name, params, headers in cases:
        for _ in range(3):
            client.get("/painel/protocolos/", params, **headers)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/painel/protocolos/", params, **headers)
        query_counts[name] = len(ctx.captured_queries)  # now: the next request resets the query log
        assert response.status_code == 200, (name, response.status_code)
        rows[name] = len(response.context["page"].rows) if response.context else 0
        timings[name], cpu[name] = [], []
    # From here on the production stack alone (no instrumented template rendering).
    teardown_test_environment()
    factory = RequestFactory()
    cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())

    def environ(params: dict, headers: dict) -> dict:
        return factory.get("/painel/protocolos/", params, HTTP_COOKIE=cookie, **headers).environ

    def serve(environ: dict) -> str:
        status = []
        response = application(environ, lambda line, _headers, _exc=None: status.append(line))
        try:
            b"".join(response)
        finally:
            response.close()  # request_finished, as the server does
        return status[0]

    for name, params, headers in cases:
        for _ in range(2):
            assert serve(environ(params, headers)).startswith("200"), name
    full_gcs = {name: [] for name, _params, _headers in cases}
    current = {"name": None, "started": 0.0}

    def on_gc(phase, info):
        if info["generation"] != 2 or current["name"] is None:
            return
        if phase == "start":
            current["started"] = time.perf_counter()
        else:
            full_gcs[current["name"]].append((time.perf_counter() - current["started"]) * 1000)

    gc.callbacks.append(on_gc)
    # Round robin: on a shared machine a burst of someone else's work then slows every
    # scenario a little instead of one scenario a lot.
    for _ in range(REPEAT):
        for name, params, headers in cases:
            request = environ(params, headers)
            current["name"] = name
            started, cpu_started = time.perf_counter(), time.thread_time()
            status = serve(request)
            timings[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.thread_time() - cpu_started) * 1000)
            current["name"] = None
            assert status.startswith("200"), (name, status)
    gc.callbacks.remove(on_gc)
    print(
        f"{'cenário':32} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'consultas':>9} {'linhas':>6} {'GC':>3}"
    )
    met = 0
    for name, _params, _headers in cases:
        p50 = statistics.median(timings[name])
        p95 = statistics.quantiles(timings[name], n=20)[18]
        bad = p50 >= P50_MS or p95 >= P95_MS
        failed |= bad
        met += not bad
        print(
            f"{name:32} {p50:8.1f} {p95:8.1f} {statistics.median(cpu[name]):8.1f} {query_counts[name]:9d} "
            f"{rows[name]:6d} {len(full_gcs[name]):3d}{'  ← acima da meta' if bad else ''}"
        )
    print(f"na meta: {met} de {len(cases)} cenários; load average ao fim: {os.getloadavg()[0]:.1f}")
    pauses = [ms for found in full_gcs.values() for ms in found]
    if pauses:
        print(
            f"coletas completas do GC (coluna GC): {len(pauses)}, "
            f"{min(pauses):.0f}–{max(pauses):.0f} ms cada"
        )
    counts = set(query_counts.values())
    print(f"consultas por página, em todos os cenários: {sorted(counts)}")
    failed |= len(counts) != 1
    print(f"metas: p50 < {P50_MS:.0f} ms, p95 < {P95_MS:.0f} ms")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
