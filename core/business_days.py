"""Business days for ANS deadlines: Brazilian national + state holidays (holidays package).

Carnival, Ash Wednesday and Corpus Christi are "optional" days in Brazil; whether a
Unimed works on them is its own setting, passed here as `optional_off`.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

OPTIONAL_DAYS = {
    "carnaval": "Carnival",
    "quarta_cinzas": "Ash Wednesday",
    "corpus_christi": "Corpus Christi",
}


@lru_cache(maxsize=512)
def _holidays_for(year: int, uf: str, optional_off: frozenset[str]) -> frozenset[date]:
    public = holidays.Brazil(years=year, subdiv=uf or None, language="en_US")
    days = set(public.keys())
    if optional_off:
        names = {OPTIONAL_DAYS[key] for key in optional_off}
        optional = holidays.Brazil(
            years=year, subdiv=uf or None, categories=("optional",), language="en_US"
        )
        days.update(day for day, name in optional.items() if any(n in name for n in names))
    return frozenset(days)


def is_business_day(day: date, *, uf: str = "", optional_off: frozenset[str] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in _holidays_for(day.year, uf, frozenset(optional_off))


def add_business_days(
    start: date, days: int, *, uf: str = "", optional_off: frozenset[str] = frozenset()
) -> date:
    """The date `days` business days after `start`, counting from the day after it.

    `days == 0` means "immediate": the same day.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_business_day(current, uf=uf, optional_off=optional_off):
            remaining -= 1
    return current


def business_days_between(
    start: date, end: date, *, uf: str = "", optional_off: frozenset[str] = frozenset()
) -> int:
    """Business days after `start` up to and including `end` (0 when end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_business_day(current, uf=uf, optional_off=optional_off):
            count += 1
    return count
