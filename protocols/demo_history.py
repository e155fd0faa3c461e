"""90 days of protocol history for the demo (`seed_demo`), so every chart and tab of the
panel has something to show on the first `make run`.

About 2,200 protocols across the four demo Unimeds, in every status, answered on time
and late, some overdue, with their parties and timelines. Written with bulk inserts of
the models (the services would take minutes for this many): numbers come from the same
daily counters `protocol_open` uses (ProtocolSequence), due dates from the category's
rule and the Unimed's calendar (protocols.deadlines), so later openings continue the
numbering and everything reads as if the services had written it.

Idempotent: the history's requesters use HISTORY_EMAIL_DOMAIN; when one exists, nothing
is added.
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model

from protocols.deadlines import due_date_for
from protocols.models import (
    Channel,
    EventKind,
    Kind,
    ManifestationType,
    Protocol,
    ProtocolEvent,
    ProtocolParty,
    ProtocolSequence,
    Status,
)
from protocols.numbering import SAO_PAULO, local_day, non_client_prefix
from unimeds.actors import actor_for_user, portal_actor
from unimeds.models import Unimed

User = get_user_model()

HISTORY_DAYS = 90
HISTORY_EMAIL_DOMAIN = "historico.example.com.br"
# Share of the received protocols per demo Unimed (the panel signs in as 0137 first).
WEIGHTS = {"0137": 4, "0666": 2, "0025": 2, "0667": 2}
FIRST = ["Maria", "José", "Ana", "João", "Francisca", "Antônio", "Adriana", "Carlos"]
FIRST += ["Juliana", "Paulo", "Márcia", "Pedro", "Fernanda", "Lucas", "Patrícia", "Rafael"]
LAST = ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira"]
LAST += ["Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Barbosa"]
MESSAGES = [
    "Solicito informação sobre a cobertura do procedimento indicado pelo médico.",
    "A autorização do exame está pendente há dias.",
    "O boleto veio com valor diferente do contrato.",
    "Não consigo agendar consulta com o especialista da rede.",
    "Peço a segunda via da carteirinha.",
    "Reclamação sobre o atendimento no pronto-socorro.",
    "Quero atualizar meus dados cadastrais.",
]
ANSWERS = [
    "Procedimento autorizado; a guia foi enviada ao prestador.",
    "Valor corrigido; o novo boleto segue por e-mail.",
    "Consulta agendada; a confirmação foi enviada por mensagem.",
    "Informação prestada por telefone ao beneficiário.",
]


def demo_cpf(rng: random.Random) -> str:
    while True:
        base = [rng.randint(0, 9) for _ in range(9)]
        if len(set(base)) > 1:
            break
    for size in (9, 10):
        total = sum(d * w for d, w in zip(base, range(size + 1, 1, -1), strict=False))
        rest = total % 11
        base.append(0 if rest < 2 else 11 - rest)
    return "".join(map(str, base))


def _moment(day: date, rng: random.Random, *, not_after: datetime | None = None) -> datetime:
    moment = datetime.combine(day, time(8), tzinfo=SAO_PAULO) + timedelta(
        seconds=rng.randint(0, 10 * 3600)
    )
    return min(moment, not_after) if not_after else moment


class _Numbers:
    """Numbers of past days from the daily counters, as protocol_open allocates them."""

    def __init__(self):
        self.next: dict[tuple[str, date], int] = {}

    def take(self, prefix: str, day: date, start: int) -> str:
        key = (prefix, day)
        if key not in self.next:
            row = ProtocolSequence.objects.filter(prefix=prefix, day=day).first()
            self.next[key] = max(start, row.last_value + 1 if row else start)
        value = self.next[key]
        self.next[key] = value + 1
        return f"{prefix}{day:%Y%m%d}{value:06d}"

    def save(self) -> None:
        for (prefix, day), following in self.next.items():
            ProtocolSequence.objects.update_or_create(
                prefix=prefix, day=day, defaults={"last_value": following - 1}
            )


def _outcome(rng: random.Random, due: date, today: date) -> str:
    """What happened to a protocol: still open, answered on time or late, closed, cancelled."""
    roll = rng.random()
    if roll < 0.06:
        return "cancelado"
    if due >= today:  # still within the deadline: mostly being worked on
        return "open" if roll < 0.7 else "on_time"
    if roll < 0.16:
        return "overdue"
    return "late" if roll < 0.30 else "on_time"


def seed_history(stdout, *, today: date | None = None) -> int:
    """Add the history once; the number of protocols created (0 when it exists)."""
    if Protocol.objects.filter(email__endswith=f"@{HISTORY_EMAIL_DOMAIN}").exists():
        stdout.write("Histórico de protocolos de demonstração: já existe.")
        return 0
    unimeds = {u.code: u for u in Unimed.objects.filter(code__in=list(WEIGHTS))}
    if len(unimeds) < len(WEIGHTS):
        return 0
    today = today or local_day()
    rng = random.Random(2026)
    pairs = [
        (mtype, category)
        for mtype in ManifestationType.objects.filter(is_active=True).prefetch_related("categories")
        for category in mtype.categories.all()
        if category.is_active and not category.is_fallback
    ]
    staff = {
        code: actor_for_user(User.objects.get(username=f"atendente.{code}")) for code in unimeds
    }
    portal = portal_actor()
    codes = [code for code, weight in WEIGHTS.items() for _ in range(weight)]
    numbers = _Numbers()
    due_cache: dict[tuple[int, int, date], date] = {}
    protocols, plans = [], []
    now = datetime.now(tz=SAO_PAULO)
    for back in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=back)
        per_day = rng.randint(8, 14) if day.weekday() >= 5 else rng.randint(27, 34)
        for _ in range(per_day):
            responsible = unimeds[rng.choice(codes)]
            mtype, category = rng.choice(pairs)
            channel = rng.choice(
                [Channel.PORTAL, Channel.PORTAL, Channel.CONTINGENCIA, Channel.UNIMED]
            )
            origin = None
            if channel == Channel.CONTINGENCIA:
                origin = responsible
            elif channel == Channel.UNIMED:
                origin = unimeds[rng.choice([c for c in WEIGHTS if c != responsible.code])]
            kind = Kind.BENEFICIARIO if rng.random() < 0.75 else Kind.NAO_CLIENTE
            if kind == Kind.BENEFICIARIO:
                prefix, start = responsible.ans_registry, responsible.hub_sequence_start
            else:
                prefix, start = non_client_prefix(responsible)
            key = (category.pk, responsible.pk, day)
            if key not in due_cache:
                due_cache[key] = due_date_for(category=category, start=day, unimed=responsible)
            due = due_cache[key]
            opened_at = _moment(day, rng)
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"
            serial = len(protocols)
            fields = {
                "number": numbers.take(prefix, day, start),
                "kind": kind,
                "channel": channel,
                "origin_unimed": origin,
                "responsible_unimed": responsible,
                "responsible_reason": "Carteirinha da Unimed"
                if kind == Kind.BENEFICIARIO
                else "Município na área de atuação",
                "requester_name": name,
                "requester_cpf": demo_cpf(rng),
                "card": f"{responsible.code}{rng.randint(1, 10**12):013d}"
                if kind == Kind.BENEFICIARIO
                else "",
                "email": f"solicitante{serial}@{HISTORY_EMAIL_DOMAIN}",
                "uf": responsible.uf,
                "manifestation_type": mtype,
                "category": category,
                "answer_preference": rng.choice([1, 1, 2, 3]),
                "message": rng.choice(MESSAGES),
                "opened_at": opened_at,
                "opened_on": day,
                "deadline_rule": category.deadline_rule,
                "deadline_days": category.business_days,
                "deadline_start": day,
                "due_date": due,
            }
            outcome = _outcome(rng, due, today)
            plan = [(EventKind.ABERTO, "", Status.ABERTO, opened_at, origin and staff[origin.code])]
            worker = staff[responsible.code]
            if outcome in ("open", "overdue"):
                working = rng.choice(
                    [Status.ABERTO, Status.ABERTO, Status.EM_ANALISE, Status.ENCAMINHADO]
                )
                if working != Status.ABERTO:
                    kind_ = (
                        EventKind.RESPOSTA_PARCIAL
                        if working == Status.EM_ANALISE
                        else EventKind.ENCAMINHADO
                    )
                    at = _moment(day, rng, not_after=now)
                    plan.append((kind_, Status.ABERTO, working, at, worker))
            elif outcome == "cancelado":
                fields["cancelled_at"] = _moment(day, rng, not_after=now)
                fields["cancel_reason"] = "Aberto em duplicidade."
                plan.append(
                    (
                        EventKind.CANCELADO,
                        Status.ABERTO,
                        Status.CANCELADO,
                        fields["cancelled_at"],
                        worker,
                    )
                )
            else:
                if outcome == "on_time":
                    answer_day = day + timedelta(days=rng.randint(0, max(0, (due - day).days)))
                else:
                    answer_day = due + timedelta(days=rng.randint(1, 6))
                answer_day = min(answer_day, today)
                answered_at = max(_moment(answer_day, rng, not_after=now), opened_at)
                fields["answered_at"] = answered_at
                plan.append(
                    (
                        EventKind.RESPOSTA,
                        Status.ABERTO,
                        Status.RESPONDIDO,
                        answered_at,
                        worker,
                    )
                )
                if back > 10 and rng.random() < 0.03:  # reanálise: a new deadline from then
                    reopened = answered_at + timedelta(days=2)
                    restart = reopened.astimezone(SAO_PAULO).date()
                    fields.update(answered_at=None, reopen_count=1, deadline_start=restart)
                    fields["due_date"] = due_date_for(
                        category=category, start=restart, unimed=responsible
                    )
                    plan.append(
                        (EventKind.REABERTO, Status.RESPONDIDO, Status.REABERTO, reopened, None)
                    )
                elif back > 10 and rng.random() < 0.5:
                    fields["closed_at"] = answered_at + timedelta(days=3)
                    plan.append(
                        (
                            EventKind.ENCERRADO,
                            Status.RESPONDIDO,
                            Status.ENCERRADO,
                            fields["closed_at"],
                            worker,
                        )
                    )
            # The status is where the timeline ends, as the services would have left it.
            protocol = Protocol(**fields, status=plan[-1][2])
            protocol.event_count = len(plan)
            protocols.append(protocol)
            plans.append(plan)
    Protocol.objects.bulk_create(protocols, batch_size=500)
    numbers.save()
    if not all(p.pk for p in protocols):  # a backend that returns no keys on bulk insert
        ids = dict(
            Protocol.objects.filter(number__in=[p.number for p in protocols]).values_list(
                "number", "pk"
            )
        )
        for protocol in protocols:
            protocol.pk = protocol.id = ids[protocol.number]
    parties, events = [], []
    for protocol, plan in zip(protocols, plans, strict=True):
        parties.append(
            ProtocolParty(
                protocol=protocol,
                unimed=protocol.responsible_unimed,
                role=ProtocolParty.Role.RESPONSIBLE,
            )
        )
        if protocol.origin_unimed and protocol.origin_unimed != protocol.responsible_unimed:
            parties.append(
                ProtocolParty(
                    protocol=protocol, unimed=protocol.origin_unimed, role=ProtocolParty.Role.ORIGIN
                )
            )
        for seq, (kind, from_status, to_status, at, actor) in enumerate(plan, start=1):
            actor = actor or portal
            events.append(
                ProtocolEvent(
                    protocol=protocol,
                    seq=seq,
                    at=at,
                    kind=kind,
                    from_status=from_status,
                    to_status=to_status,
                    public=True,
                    message=protocol.message
                    if kind == EventKind.ABERTO
                    else protocol.cancel_reason or rng.choice(ANSWERS),
                    channel=protocol.channel if kind == EventKind.ABERTO else Channel.CONTINGENCIA,
                    actor_label=actor.label,
                    actor_kind=actor.kind,
                    actor_user=actor.user,
                    actor_unimed=actor.unimed,
                    payload={"due_date": protocol.due_date.isoformat()}
                    if kind == EventKind.ABERTO
                    else {},
                )
            )
    ProtocolParty.objects.bulk_create(parties, batch_size=1000)
    ProtocolEvent.objects.bulk_create(events, batch_size=1000)
    by_status = Counter(p.status for p in protocols)
    stdout.write(
        f"Histórico de protocolos de demonstração: {len(protocols)} em {HISTORY_DAYS} dias ("
        + ", ".join(f"{Status(s).label}: {n}" for s, n in sorted(by_status.items()))
        + ")."
    )
    return len(protocols)
