"""Business days for ANS deadlines: Brazilian national + state holidays (holidays package).

Carnival, Ash Wednesday and Corpus Christi are "optional" days in Brazil; whether a
Unimed works on them is its own setting, passed here as `optional_off`.

Municipal holidays are not in the holidays package: CITY_HOLIDAYS lists the ones a
calendar needs (by IBGE code). The ANS calendar — the regulator's own deadlines (NIP,
PERSUS) — is the city of Rio de Janeiro's: national + RJ state + the city's (ANS_CALENDAR).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

OPTIONAL_DAYS = {
    "carnaval": "Carnival",
    "quarta_cinzas": "Ash Wednesday",
    "corpus_christi": "Corpus Christi",
}


# IBGE code → (month, day, name) of municipal holidays fixed by local law.
CITY_HOLIDAYS: dict[str, tuple[tuple[int, int, str], ...]] = {
    "3304557": ((1, 20, "São Sebastião, padroeiro do Rio de Janeiro"),),
}
RIO_DE_JANEIRO = "3304557"
# Where ANS sits: its deadlines count on this calendar (keyword arguments of the functions below).
ANS_CALENDAR = {"uf": "RJ", "city": RIO_DE_JANEIRO}


@lru_cache(maxsize=512)
def _holidays_for(
    year: int, uf: str, optional_off: frozenset[str], city: str = ""
) -> frozenset[date]:
    public = holidays.Brazil(years=year, subdiv=uf or None, language="en_US")
    days = set(public.keys())
    days.update(date(year, month, day) for month, day, _name in CITY_HOLIDAYS.get(city, ()))
    if optional_off:
        names = {OPTIONAL_DAYS[key] for key in optional_off}
        optional = holidays.Brazil(
            years=year, subdiv=uf or None, categories=("optional",), language="en_US"
        )
        days.update(day for day, name in optional.items() if any(n in name for n in names))
    return frozenset(days)


def is_business_day(
    day: date, *, uf: str = "", optional_off: frozenset[str] = frozenset(), city: str = ""
) -> bool:
    return day.weekday() < 5 and day not in _holidays_for(
        day.year, uf, frozenset(optional_off), city
    )


def next_business_day(
    day: date, *, uf: str = "", optional_off: frozenset[str] = frozenset(), city: str = ""
) -> date:
    """`day` itself when it is a business day, else the first business day after it."""
    while not is_business_day(day, uf=uf, optional_off=optional_off, city=city):
        day += timedelta(days=1)
    return day


def add_calendar_days(
    start: date,
    days: int,
    *,
    uf: str = "",
    optional_off: frozenset[str] = frozenset(),
    city: str = "",
) -> date:
    """`days` calendar days after `start` (the start day excluded, the last included),
    moved to the next business day when the last one is not (a legal term's rule)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    return next_business_day(
        start + timedelta(days=days), uf=uf, optional_off=optional_off, city=city
    )


def add_business_days(
    start: date,
    days: int,
    *,
    uf: str = "",
    optional_off: frozenset[str] = frozenset(),
    city: str = "",
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
        if is_business_day(current, uf=uf, optional_off=optional_off, city=city):
            remaining -= 1
    return current


def subtract_business_days(
    end: date,
    days: int,
    *,
    uf: str = "",
    optional_off: frozenset[str] = frozenset(),
    city: str = "",
) -> date:
    """The business day `days` business days before `end` (an internal deadline ahead of a
    legal one)."""
    current, remaining = end, days
    while remaining:
        current -= timedelta(days=1)
        if is_business_day(current, uf=uf, optional_off=optional_off, city=city):
            remaining -= 1
    return current


def business_days_between(
    start: date,
    end: date,
    *,
    uf: str = "",
    optional_off: frozenset[str] = frozenset(),
    city: str = "",
) -> int:
    """Business days after `start` up to and including `end` (0 when end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_business_day(current, uf=uf, optional_off=optional_off, city=city):
            count += 1
    return count
