#!/usr/bin/env python
"""Cooperado search at scale: p50/p95 of the panel's selector on 500,000 cooperados.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gpu .venv/bin/python bench/cooperados_search.py

Creates its own database (<name>_bench_cooperados; dropped first, kept afterwards
unless --drop), migrates it, bulk-loads the rows with COPY into one Unimed (the worst
case for a per-Unimed search), then times the same selector and paginator the panel
uses (page 1 + count) for a name fragment, CRM/login, e-mail and CPF, next to a
primary-key lookup as the baseline. With --bulk (default 100,000) it also loads a
second Unimed and runs the forced password reset job on all of it, with progress.
Bounded: --max-seconds (default 900) stops it cleanly.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = (
    "Ana",
    "Bruno",
    "Carla",
    "Diego",
    "Elisa",
    "Fábio",
    "Gabriela",
    "Heitor",
    "Íris",
    "João",
    "Luíza",
    "Marcos",
    "Natália",
    "Otávio",
    "Paula",
    "Rafael",
    "Sofia",
    "Tiago",
    "Vera",
    "William",
    "Maria",
    "José",
    "Antônio",
    "Francisco",
    "Adriana",
    "Juliana",
    "Márcia",
    "Fernanda",
    "Patrícia",
    "Aline",
    "Sandra",
    "Luiz",
    "Paulo",
    "Carlos",
    "Manoel",
    "Pedro",
    "Lucas",
    "Mateus",
    "Gustavo",
    "Camila",
    "Larissa",
)
LAST = (
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Almeida",
    "Lopes",
    "Soares",
    "Fernandes",
    "Vieira",
    "Barbosa",
    "Rocha",
    "Dias",
    "Nascimento",
    "Andrade",
    "Moreira",
    "Nunes",
    "Marques",
    "Machado",
    "Mendes",
    "Freitas",
    "Cardoso",
    "Ramos",
    "Gonçalves",
    "Santana",
    "Teixeira",
    "Conceição",
    "Araújo",
    "Pinto",
    "Cavalcanti",
)
SYLLABLES = (
    "ba",
    "be",
    "ca",
    "co",
    "da",
    "de",
    "fa",
    "go",
    "la",
    "li",
    "ma",
    "mo",
    "na",
    "ne",
    "pa",
    "pe",
    "ra",
    "ri",
    "sa",
    "so",
    "ta",
    "te",
    "va",
    "vi",
    "za",
    "zu",
    "lu",
    "mi",
    "no",
    "tu",
)
UFS = ("SP", "RJ", "MG", "SC", "PR", "RS", "BA", "PE", "CE", "GO")


def parse_args():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--rows", type=int, default=500_000)
    p.add_argument(
        "--bulk", type=int, default=100_000, help="rows for the forced-reset job run (0 = skip)"
    )
    p.add_argument("--queries", type=int, default=200, help="queries per kind")
    p.add_argument("--max-seconds", type=int, default=900)
    p.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="keep an already loaded bench database (only migrate and measure)",
    )
    return p.parse_args()


def bench_database_url() -> tuple[str, str, str]:
    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("Defina DATABASE_URL=postgres://… (o benchmark precisa de PostgreSQL).")
    name = parsed.path.lstrip("/") + "_bench_cooperados"
    admin = urlunparse(parsed._replace(scheme="postgresql", path="/postgres"))
    return urlunparse(parsed._replace(path="/" + name)), admin, name


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def person(rng: random.Random, i: int) -> str:
    extra = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{rng.choice(FIRST)} {rng.choice(FIRST) if i % 3 == 0 else extra} {rng.choice(LAST)} {rng.choice(LAST)}"


def load(unimed_id: int, start: int, count: int, rng: random.Random, deadline: float) -> None:
    """COPY straight into the table, computing the derived columns like sync_derived()."""
    from django.db import connection
    from django.utils import timezone

    from cooperados.models import search_key

    now = timezone.now().isoformat()
    columns = (
        "unimed_id",
        "provider_code",
        "full_name",
        "search_name",
        "login",
        "crm_number",
        "crm_uf",
        "cpf",
        "profile",
        "email_unimed",
        "email_private",
        "login_email_source",
        "login_email",
        "situation",
        "block_reason",
        "block_note",
        "password",
        "must_change_password",
        "failed_sign_ins",
        "session_version",
        "created_at",
        "updated_at",
    )
    sql = f"COPY cooperados_cooperado ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        for i in range(start, start + count):
            if i % 50_000 == 0 and time.monotonic() > deadline:
                raise TimeoutError("tempo esgotado durante a carga")
            name = person(rng, i)
            crm, uf = str(10_000 + i), UFS[i % len(UFS)]
            email_u = f"{crm.lower()}{uf.lower()}@unimed{unimed_id}.example.com.br"
            email_p = f"{search_key(name).split()[0].lower()}.{i}@mail.example.com" if i % 2 else ""
            source = "particular" if email_p and i % 4 == 1 else "unimed"
            copy.write_row(
                (
                    unimed_id,
                    str(i),
                    name,
                    search_key(name),
                    f"{crm}{uf}",
                    crm,
                    uf,
                    f"{10_000_000_000 + i * 7:011d}",
                    "PRESTADOR" if i % 20 else "SECRETARIA",
                    email_u,
                    email_p,
                    source,
                    email_p if source == "particular" else email_u,
                    "bloqueado" if i % 37 == 0 else "ativo",
                    "admin" if i % 37 == 0 else "",
                    "",
                    "!bench",
                    False,
                    0,
                    1,
                    now,
                    now,
                )
            )


def timed(fn, samples) -> list[float]:
    out = []
    for sample in samples:
        t0 = time.perf_counter()
        fn(sample)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
        if len(values) > 1
        else values[0]
    )


def main() -> None:
    args = parse_args()
    started = time.monotonic()
    deadline = started + args.max_seconds
    url, admin_url, name = bench_database_url()
    if not args.reuse:
        recreate_database(admin_url, name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("GPU_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gpu_project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cooperados import selectors
    from cooperados.models import BulkJob, Cooperado
    from cooperados.services import bulk_job_run
    from unimeds.actors import Actor
    from unimeds.models import Role, Unimed

    print(f"banco {name}: migrando…", flush=True)
    call_command("migrate", verbosity=0)
    big = Unimed.objects.filter(code="0137").first() if args.reuse else None
    if big is None or Cooperado.objects.filter(unimed=big).count() < args.rows:
        big = big or Unimed.objects.create(
            code="0137", ans_registry="322831", name="Unimed Bench", uf="SP"
        )
        rng = random.Random(2026)
        t0 = time.monotonic()
        load(big.pk, 0, args.rows, rng, deadline)
        print(
            f"{args.rows:,} cooperados carregados (COPY) em {time.monotonic() - t0:.1f} s",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE cooperados_cooperado"
        )  # what autovacuum does after a big load
    rng = random.Random(2026)

    actor = Actor(unimed=big, roles=frozenset({Role.GESTOR}))

    def search(**filters):
        page = selectors.cooperado_page(selectors.cooperado_search(actor=actor, **filters), 1)
        return page.paginator.count, page.object_list

    sample = list(
        Cooperado.objects.filter(unimed=big)
        .order_by("?")
        .values("pk", "full_name", "login", "login_email", "email_unimed", "cpf")[: args.queries]
    )
    fragments = []
    for row in sample:
        words = [w for w in row["full_name"].split() if len(w) >= 5]
        word = rng.choice(words) if words else row["full_name"]
        start = rng.randint(0, max(0, len(word) - 5))
        fragments.append(word[start : start + 5])
    for warm in sample[:10]:  # first touch of each index, like a warmed-up server
        search(name=warm["full_name"][:5]), search(login=warm["login"]), search(cpf=warm["cpf"])

    kinds = {
        "baseline: Cooperado por pk": timed(lambda r: Cooperado.objects.get(pk=r["pk"]), sample),
        "nome (fragmento de 5 letras)": timed(lambda f: search(name=f), fragments),
        "nome + sobrenome (2 palavras)": timed(
            lambda r: search(name=" ".join(r["full_name"].split()[2:4])), sample
        ),
        "CRM / login exato": timed(lambda r: search(login=r["login"]), sample),
        "CRM só o número (prefixo)": timed(lambda r: search(login=r["login"][:-2]), sample),
        "e-mail (de login)": timed(lambda r: search(email=r["login_email"]), sample),
        "CPF": timed(lambda r: search(cpf=r["cpf"]), sample),
        "situação bloqueado (sem texto)": timed(
            lambda r: search(situation="bloqueado"), sample[:50]
        ),
    }
    print(
        f"\nBusca do painel (selectors.cooperado_search + cooperado_page: página 1 e contagem até 200), "
        f"{args.rows:,} cooperados numa Unimed, {args.queries} consultas por tipo"
    )
    print(f"{'consulta':<34} {'p50 ms':>8} {'p95 ms':>8} {'máx ms':>8}")
    for label, values in kinds.items():
        print(f"{label:<34} {pct(values, 50):8.2f} {pct(values, 95):8.2f} {max(values):8.2f}")
    worst = max(pct(v, 95) for k, v in kinds.items() if not k.startswith("baseline"))
    base = pct(kinds["baseline: Cooperado por pk"], 50)
    print(
        f"pior p95 de busca: {worst:.2f} ms (meta < 30 ms) → {'OK' if worst < 30 else 'ACIMA DA META'}; "
        f"= {worst / base:.1f}× o p50 da busca por pk nesta máquina ({base:.2f} ms)"
    )

    if args.bulk and time.monotonic() < deadline:
        other, created = Unimed.objects.get_or_create(
            code="0666", defaults={"ans_registry": "366601", "name": "Unimed Bench 2", "uf": "PR"}
        )
        if created:
            load(other.pk, args.rows, args.bulk, rng, deadline)
        Cooperado.objects.filter(unimed=other).update(must_change_password=False)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cooperados_cooperado")
        job = BulkJob.objects.create(
            unimed=other,
            reason="benchmark",
            requested_by_label="bench",
            total=Cooperado.objects.filter(unimed=other).count(),
        )
        t0 = time.monotonic()
        bulk_job_run(job_id=job.pk)
        job.refresh_from_db()
        flagged = Cooperado.objects.filter(unimed=other, must_change_password=True).count()
        untouched = Cooperado.objects.filter(unimed=big, must_change_password=True).count()
        print(
            f"\nTroca de senha forçada (job em lotes de UPDATE): {job.processed:,}/{job.total:,} em "
            f"{time.monotonic() - t0:.1f} s, situação {job.status}; contas exigindo nova senha: {flagged:,}; "
            f"outra Unimed intocada: {untouched == 0}"
        )
    print(
        f"\nTempo total: {time.monotonic() - started:.0f} s. Banco mantido: {name}"
        if not args.drop
        else ""
    )
    if args.drop:
        connection.close()
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        print(f"Tempo total: {time.monotonic() - started:.0f} s. Banco {name} removido.")


if __name__ == "__main__":
    main()
