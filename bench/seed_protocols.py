"""Bulk-load 1,000,000 protocols into a PostgreSQL database of its own, for bench/panel_inbox.py.

    .venv/bin/python bench/seed_protocols.py            # DATABASE_URL defaults to gpu_panel_bench

Creates the database if needed, migrates it, creates 20 Unimeds (0137 — the Unimed
the bench signs in as — is responsible for 30 % of the protocols, the busiest case),
then loads the protocols with INSERT … SELECT generate_series, consistent with the
models: valid numbers (ANS registry + local date + hub sequence, unique per day),
valid CPFs (a pool of 2,000, so a CPF matches a few hundred rows like a frequent
requester), cards of the responsible Unimed, a status that depends on age (recent ones
open, older ones answered — some late, some overdue), the party rows the selectors
scope by, the opening event (event_count = 1) and a few regulatory requests of 0137
(1 in 5,000, the list shown above its inbox). Idempotent: skips loading when the
row count already matches. Env: GPU_BENCH_ROWS (default 1000000).
"""

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pgdb import ensure_postgres_database  # noqa: E402 - bench/ is the script folder

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gpu_panel_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gpu_project.settings")
os.environ.setdefault("GPU_DEBUG", "1")

ROWS = int(os.environ.get("GPU_BENCH_ROWS", "1000000"))
UNIMEDS = 20
BENCH_USER = "atendente.bench"
TEAM = 20  # people of 0137 who own its protocols (4 in 5 protocols have an owner)
FIRST = [
    "Maria",
    "José",
    "Ana",
    "João",
    "Francisca",
    "Antônio",
    "Adriana",
    "Carlos",
    "Juliana",
    "Paulo",
    "Márcia",
    "Pedro",
    "Fernanda",
    "Lucas",
    "Patrícia",
    "Marcos",
    "Aline",
    "Rafael",
    "Sandra",
    "Bruno",
]
LAST = [
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
]


def valid_cpfs(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = set()
    while len(out) < count:
        base = [rng.randint(0, 9) for _ in range(9)]
        if len(set(base)) == 1:
            continue
        for size in (9, 10):
            total = sum(d * w for d, w in zip(base, range(size + 1, 1, -1), strict=False))
            rest = total % 11
            base.append(0 if rest < 2 else 11 - rest)
        out.add("".join(map(str, base)))
    return sorted(out)


def create_database() -> None:
    ensure_postgres_database(os.environ["DATABASE_URL"])


def network():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from unimeds.models import Membership, RoleGrant, Unimed

    unimeds = []
    for n in range(UNIMEDS):
        code = "0137" if n == 0 else f"{2000 + n:04d}"
        unimed, _ = Unimed.objects.get_or_create(
            code=code,
            defaults={
                "ans_registry": "322831" if n == 0 else f"{400000 + n:06d}",
                "name": f"Unimed Bench {code}",
                "uf": "SP",
            },
        )
        unimeds.append(unimed)
    user, created = get_user_model().objects.get_or_create(
        username=BENCH_USER,
        defaults={"email": "atendente@bench.example", "password": make_password("bench-2026")},
    )
    membership, _ = Membership.objects.get_or_create(user=user, defaults={"unimed": unimeds[0]})
    RoleGrant.objects.get_or_create(membership=membership, role="atendente")
    # The bench user's colleagues: the owners of 0137's protocols ("Meus", owner filter).
    for n in range(1, TEAM):
        colleague, _ = get_user_model().objects.get_or_create(
            username=f"{BENCH_USER}.{n}",
            defaults={"email": f"atendente{n}@bench.example", "first_name": f"Atendente {n}"},
        )
        member, _ = Membership.objects.get_or_create(
            user=colleague, defaults={"unimed": unimeds[0]}
        )
        RoleGrant.objects.get_or_create(membership=member, role="atendente")
    return unimeds


LOAD_SQL = """
WITH u AS (SELECT array_agg(id ORDER BY code) AS ids, array_agg(code ORDER BY code) AS codes,
                  array_agg(ans_registry ORDER BY code) AS ans FROM unimeds_unimed WHERE code = ANY(%(codes)s)),
g AS (
  SELECT i,
         -- 30 %% for 0137 (index 1), the rest spread over the other Unimeds
         CASE WHEN i %% 10 < 3 THEN 1 ELSE 2 + (i %% 19) END AS r,
         1 + ((i / 7) %% %(nunimeds)s) AS o,
         (i %% 365) AS age
  FROM generate_series(0, %(n)s - 1) AS i
),
h AS (
  SELECT g.*, (%(today)s::date - g.age) AS day,
         ((%(today)s::date - g.age)::timestamp + make_interval(secs => 28800 + (g.i * 37) %% 36000))
            AT TIME ZONE 'America/Sao_Paulo' AS opened_at,
         CASE WHEN g.age <= 12 THEN (ARRAY['aberto','em_analise','encaminhado','aberto'])[1 + g.i %% 4]
              WHEN g.i %% 50 = 0 THEN 'aberto'
              WHEN g.i %% 20 = 1 THEN 'cancelado'
              WHEN g.i %% 3 = 0 THEN 'encerrado' ELSE 'respondido' END AS status
  FROM g
)
INSERT INTO protocols_protocol (
    number, externally_numbered, kind, channel, status, responsible_reason, requester_name,
    requester_cpf, card, phone_ddd, phone, email, uf, city_code, answer_preference, message,
    previous_number, sender_transaction_id, intercambio_transaction_id, opened_at, opened_on,
    deadline_rule, deadline_days, deadline_start, due_date, answered_at, closed_at, cancelled_at,
    cancel_reason, reopen_count, event_count, updated_at, category_id, manifestation_type_id,
    origin_unimed_id, responsible_unimed_id, serving_unimed_id, catalog_unmapped,
    manifestation_code_received, is_regulatory)
SELECT u.ans[h.r] || to_char(h.day, 'YYYYMMDD') || lpad((500000 + h.i / 365)::text, 6, '0'),
       false, 'beneficiario', (ARRAY['PORTAL','UNIMED','CONTINGENCIA','GUIA_MEDICO','WHATSAPP'])[1 + h.i %% 5],
       h.status, 'Carteirinha da Unimed ' || u.codes[h.r],
       (%(first)s::text[])[1 + h.i %% 20] || ' ' || (%(last)s::text[])[1 + (h.i / 20) %% 20] || ' '
         || (%(last)s::text[])[1 + (h.i / 400) %% 20],
       CASE WHEN h.i %% 4 = 0 THEN '' ELSE (%(cpfs)s::text[])[1 + h.i %% %(ncpf)s] END,
       u.codes[h.r] || lpad(h.i::text, 13, '0'), '11', '987654321', 'p' || h.i || '@example.com.br',
       'SP', '3550308', 1 + h.i %% 3, 'Mensagem do protocolo ' || h.i, '', '', '',
       h.opened_at, h.day, 'dias_uteis', 7, h.day, h.day + 9,
       CASE WHEN h.status IN ('respondido', 'encerrado') THEN h.opened_at + make_interval(days => h.i %% 12) END,
       CASE WHEN h.status = 'encerrado' THEN h.opened_at + make_interval(days => 13) END,
       CASE WHEN h.status = 'cancelado' THEN h.opened_at + interval '1 hour' END,
       CASE WHEN h.status = 'cancelado' THEN 'Aberto em duplicidade.' ELSE '' END,
       0, 1, h.opened_at, c.id, m.id,
       CASE WHEN h.i %% 3 = 0 THEN NULL ELSE u.ids[h.o] END, u.ids[h.r], NULL, false, '',
       -- 1 in 5,000 a regulatory request (subsídios), all of 0137: the list above its inbox
       h.i %% 5000 = 1
FROM h CROSS JOIN u
JOIN protocols_category c ON c.code = 1 + h.i %% 4
JOIN protocols_manifestationtype m ON m.code = (ARRAY['I','R','S','E'])[1 + h.i %% 4]
"""


def load(unimeds) -> None:
    from django.db import connection, transaction

    from protocols.models import Protocol
    from protocols.numbering import local_day

    existing = Protocol.objects.count()
    if existing == ROWS:
        print(f"Protocolos já carregados: {existing:,}".replace(",", "."))
        return
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE protocols_protocolnotification, protocols_delivery, protocols_attachment, "
            "protocols_protocolevent, protocols_protocolparty, protocols_protocol CASCADE"
        )
        cursor.execute(
            LOAD_SQL,
            {
                "codes": [u.code for u in unimeds],
                "nunimeds": len(unimeds),
                "n": ROWS,
                "today": local_day(),
                "first": FIRST,
                "last": LAST,
                "cpfs": valid_cpfs(2000),
                "ncpf": 2000,
            },
        )
        cursor.execute(
            "INSERT INTO protocols_protocolparty (role, protocol_id, unimed_id) "
            "SELECT 'responsavel', id, responsible_unimed_id FROM protocols_protocol"
        )
        cursor.execute(
            "INSERT INTO protocols_protocolparty (role, protocol_id, unimed_id) "
            "SELECT 'origem', id, origin_unimed_id FROM protocols_protocol "
            "WHERE origin_unimed_id IS NOT NULL AND origin_unimed_id <> responsible_unimed_id"
        )
        cursor.execute(
            "INSERT INTO protocols_protocolevent (uuid, protocol_id, seq, at, kind, from_status, to_status, public, "
            "message, payload, channel, actor_label, actor_kind) "
            "SELECT gen_random_uuid(), id, 1, opened_at, 'aberto', '', 'aberto', true, message, '{}'::jsonb, "
            "channel, 'bench', 'system' FROM protocols_protocol"
        )
    with connection.cursor() as cursor:
        for table in ("protocols_protocol", "protocols_protocolparty", "protocols_protocolevent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"Carga: {ROWS:,} protocolos em {time.monotonic() - started:.1f} s".replace(",", "."),
        flush=True,
    )


def assign_owners(unimeds) -> None:
    """4 in 5 of 0137's protocols get an owner among its TEAM people (once)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from protocols.models import Protocol

    if Protocol.objects.filter(owner__isnull=False).exists():
        return
    team = list(
        get_user_model()
        .objects.filter(username__startswith=BENCH_USER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE protocols_protocol SET owner_id = (%s::int[])[1 + ((id / 5) %% %s)] "
            "WHERE responsible_unimed_id = %s AND id %% 5 <> 0",
            [team, len(team), unimeds[0].pk],
        )
        cursor.execute("VACUUM ANALYZE protocols_protocol")
    print(f"Responsáveis atribuídos em {time.monotonic() - started:.1f} s", flush=True)


def main() -> None:
    create_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    unimeds = network()
    load(unimeds)
    assign_owners(unimeds)


if __name__ == "__main__":
    main()
