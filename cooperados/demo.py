"""Demo cooperados for `seed_demo`: imported through the real A400 path, then given
the demo password. Idempotent: a second run changes nothing."""

from django.conf import settings
from django.contrib.auth.hashers import make_password

from cooperados.models import BlockReason, Cooperado, Situation
from cooperados.services import a400_import
from cooperados.services.accounts import apply_situation
from unimeds.actors import system_actor
from unimeds.models import Unimed

DEMO_CODES = ("0025", "0137", "0666", "0667")
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
)
LAST = (
    "Silva",
    "Souza",
    "Oliveira",
    "Santos",
    "Pereira",
    "Lima",
    "Carvalho",
    "Ferreira",
    "Gomes",
    "Conceição",
)
PER_UNIMED = 24


def demo_cpf(seed: int) -> str:
    base = [int(d) for d in f"{(seed * 7919 + 100000001) % 1000000000:09d}"]
    if len(set(base)) == 1:
        base[0] = (base[0] + 1) % 10
    for weights in (range(10, 1, -1), range(11, 1, -1)):
        r = sum(d * w for d, w in zip(base, weights, strict=False)) % 11
        base.append(0 if r < 2 else 11 - r)
    return "".join(map(str, base))


def demo_file(unimed: Unimed) -> bytes:
    uf = unimed.uf
    lines = [f"401;{unimed.code};20260101;1.0"]
    for i in range(PER_UNIMED):
        crm = f"{int(unimed.code) * 100 + 1000 + i}"
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 3 + int(unimed.code)) % len(LAST)]} {LAST[i % len(LAST)]}"
        email = f"{crm}{uf.lower()}@medicos.example.com.br"
        lines.append(
            f"402;I;{10000 + i};{name};{crm}{uf};{crm};{uf};{demo_cpf(int(unimed.code) * 1000 + i)};"
            f"{'SECRETARIA' if i == PER_UNIMED - 1 else 'PRESTADOR'};{email}"
        )
    if unimed.code == "0137":
        lines.append(
            f"402;I;12345;Maria Aparecida Cooperada;12345SC;12345;SC;{demo_cpf(12345)};PRESTADOR;"
            "cooperado.0137@example.com.br"
        )
    lines.append(f"409;{len(lines) - 1}")
    return "\n".join(lines).encode()


def seed(stdout) -> None:
    password_hash = make_password(settings.GPU_DEMO_PASSWORD)  # one hash for every demo account
    for code in DEMO_CODES:
        unimed = Unimed.objects.filter(code=code).first()
        if unimed is None:
            continue
        report = a400_import(
            actor=system_actor(), content=demo_file(unimed), filename=f"demo-{code}.a400"
        )
        # The demo password only where none was ever set: a second run keeps changes made in the panel.
        Cooperado.objects.filter(unimed=unimed, password="").update(password=password_hash)
        c = report.counts
        stdout.write(
            f"Cooperados {code}: {c['criado']} criados, {c['atualizado']} atualizados, "
            f"{c['sem_alteracao']} sem alteração."
        )
    example = (
        Cooperado.objects.select_for_update()
        .select_related("unimed")
        .filter(unimed__code="0137", provider_code="10003", situation=Situation.ATIVO)
        .first()
    )
    if example is not None:  # one account blocked by failed sign-ins, to show the unblock
        apply_situation(
            actor=system_actor(),
            coop=example,
            situation=Situation.BLOQUEADO,
            reason=BlockReason.FAILED_SIGN_INS,
            note="5 tentativas seguidas com senha errada (demo).",
        )
    stdout.write(
        f"Cooperado demo: Unimed 0137, login 12345SC ou cooperado.0137@example.com.br, "
        f"senha '{settings.GPU_DEMO_PASSWORD}' (POST /api/v1/cooperados/sessao)."
    )
