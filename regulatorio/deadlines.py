"""Legal due dates of regulator demands, from the DeadlineRule rows, on the ANS calendar
(national holidays, RJ state and the city of Rio de Janeiro: core.business_days)."""

from datetime import date

from django.utils.translation import gettext as _

from core.business_days import (
    ANS_CALENDAR,
    add_business_days,
    add_calendar_days,
    subtract_business_days,
)
from core.errors import InvalidInput
from regulatorio.models import Counting, DeadlineRule

# What a rule says when its row is missing (the migration seeds these; the admin edits them).
DEFAULT_RULES = (
    (
        "nip_assistencial",
        "NIP assistencial",
        5,
        Counting.BUSINESS,
        "RN ANS 483/2022, art. 10: 5 dias úteis para a resposta da operadora à NIP assistencial.",
    ),
    (
        "nip_nao_assistencial",
        "NIP não assistencial",
        10,
        Counting.BUSINESS,
        "RN ANS 483/2022, art. 10: 10 dias úteis para a resposta da operadora à NIP não assistencial.",
    ),
    (
        "persus_abi",
        "PERSUS — impugnação do ABI",
        30,
        Counting.CALENDAR,
        "Lei 9.656/1998, art. 32, e RN ANS 502/2022: impugnação em 30 dias da notificação do ABI, "
        "excluído o dia do início e incluído o do vencimento, prorrogado ao primeiro dia útil.",
    ),
    (
        "persus_recurso",
        "PERSUS — recurso da decisão",
        15,
        Counting.CALENDAR,
        "RN ANS 502/2022: recurso em 15 dias da notificação da decisão da impugnação, "
        "prorrogado ao primeiro dia útil.",
    ),
)
# Subsídios are asked for this many business days before the legal due date.
INTERNAL_MARGIN_BUSINESS_DAYS = 2


def rule_for(key: str) -> DeadlineRule:
    """The rule's row; its default (unsaved) when the row was never loaded."""
    rule = DeadlineRule.objects.filter(key=key).first()
    if rule is not None:
        return rule
    for default in DEFAULT_RULES:
        if default[0] == key:
            return DeadlineRule(
                key=key, name=default[1], days=default[2], counting=default[3], source=default[4]
            )
    raise InvalidInput(
        _("Prazo regulatório '%(key)s' não cadastrado.") % {"key": key}, fields={"kind": [key]}
    )


def due_date_for(*, rule: DeadlineRule, start: date) -> date:
    """Business days counted from the day after `start`; calendar days excluding `start`,
    the last moved to the next business day — both on the ANS calendar."""
    if rule.counting == Counting.BUSINESS:
        return add_business_days(start, rule.days, **ANS_CALENDAR)
    return add_calendar_days(start, rule.days, **ANS_CALENDAR)


def internal_due_for(legal_due: date, *, today: date) -> date:
    """The default internal deadline of a subsídio request: two business days before the
    legal one, never before today."""
    internal = subtract_business_days(legal_due, INTERNAL_MARGIN_BUSINESS_DAYS, **ANS_CALENDAR)
    return max(internal, today)
