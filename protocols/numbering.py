"""Protocol numbers: ANS registry (6) + local date AAAAMMDD + daily sequence (6).

The hub numbers on behalf of a Unimed from its `hub_sequence_start` upwards, while
the Unimed's own CRM uses the numbers below it (DOMAIN.md §2), so the two never
collide. Non-clients use `GPU_NON_CLIENT_PREFIX` (see docs/protocols.md).
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput
from protocols.models import Protocol, ProtocolSequence
from unimeds.models import Unimed

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
NUMBER_RE = re.compile(r"^(\d{6})(\d{4})(\d{2})(\d{2})(\d{6})$")
MAX_SEQUENCE = 999_999


def local_day(moment: datetime | None = None) -> date:
    """The operator's date: São Paulo, whatever the server's or UTC's date."""
    return timezone.localtime(moment or timezone.now(), SAO_PAULO).date()


def non_client_prefix(responsible: Unimed) -> tuple[str, int]:
    """(prefix, first sequence) for a non-client protocol of `responsible`."""
    fixed = settings.GPU_NON_CLIENT_PREFIX
    if fixed:
        # The hub owns a fixed prefix alone: no Unimed CRM shares it, start at 1.
        return fixed, 1
    return responsible.ans_registry, responsible.hub_sequence_start


def allocate_number(*, prefix: str, day: date, start: int) -> str:
    """Next number of (prefix, day). Must run inside the caller's transaction: the
    counter row stays locked until it commits, and a rollback gives the number back."""
    if not connection.in_atomic_block:
        raise RuntimeError("allocate_number must run inside transaction.atomic()")
    table = ProtocolSequence._meta.db_table
    # A start raised during the day (the Unimed's own system reached the hub's range)
    # applies at once, not tomorrow: the next number is never below it.
    greatest = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, day, last_value) VALUES (%s, %s, %s) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (prefix, day) DO UPDATE SET last_value = {greatest}({table}.last_value + 1, "
            "excluded.last_value) RETURNING last_value",
            [prefix, day, start],
        )
        value = cursor.fetchone()[0]
    if value > MAX_SEQUENCE:
        raise Conflict(
            _(
                "A sequência diária de protocolos desta Unimed se esgotou; tente novamente amanhã "
                "ou ajuste o início da faixa do hub."
            ),
            code="sequencia_esgotada",
        )
    return f"{prefix}{day:%Y%m%d}{value:06d}"


def parse_number(number: str) -> tuple[str, date, int]:
    """(prefix, date, sequence) of a 20-digit number; InvalidInput when malformed."""
    match = NUMBER_RE.match(str(number or "").strip())
    if not match:
        raise InvalidInput(_("Número de protocolo deve ter 20 dígitos."))
    prefix, year, month, day, seq = match.groups()
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        raise InvalidInput(_("Número de protocolo com data inválida (AAAAMMDD).")) from None
    if int(seq) == 0:
        raise InvalidInput(_("Número de protocolo com sequência 000000."))
    return prefix, when, int(seq)


def validate_external_number(number: str, *, sender: Unimed) -> tuple[str, date]:
    """An integrated Unimed's own number: format, its registry, outside the hub's range,
    not in the future and not yet registered. Returns (number, date in the number)."""
    field = "external_number"
    try:
        prefix, when, seq = parse_number(number)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, fields={field: [exc.message]}) from None
    number = str(number).strip()
    problems = []
    if prefix != sender.ans_registry:
        problems.append(
            f"O número começa com o registro ANS {prefix}, mas a Unimed {sender.code} tem o registro "
            f"{sender.ans_registry}."
        )
    if when > local_day():
        problems.append("A data do número de protocolo está no futuro.")
    if seq >= sender.hub_sequence_start:
        problems.append(
            f"A sequência {seq:06d} está na faixa reservada ao hub (a partir de "
            f"{sender.hub_sequence_start:06d}); use números abaixo dela."
        )
    if problems:
        raise InvalidInput(problems[0], fields={field: problems})
    if Protocol.objects.filter(number=number).exists():
        raise Conflict(
            _("O protocolo %(number)s já está registrado no hub.") % {"number": number},
            code="protocolo_duplicado",
            fields={field: [f"O protocolo {number} já está registrado no hub."]},
        )
    return number, when
