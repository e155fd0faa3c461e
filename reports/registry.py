"""The report registry: each app declares its reports in `<app>/reports.py`.

A definition says which columns a report has, how to stream its rows from the
app's selectors and who may ask for it; reports builds the file, tracks the
job and guards the download, so no app writes its own Excel code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django import forms

    from unimeds.actors import Actor

COLUMN_KINDS = ("text", "int", "decimal", "percent", "date", "month", "datetime", "bool")


@dataclass(frozen=True)
class Column:
    """One spreadsheet column. `kind` decides the cell type and format:

    text → string; int / decimal → number; percent → a fraction (0.875) shown as
    87,5 %; date / datetime → Excel date (datetimes given aware, written as
    America/Sao_Paulo local time); month → a date shown as mm/aaaa;
    bool → "Sim"/"Não". `width` is the Excel column width in characters.
    """

    header: str
    kind: str = "text"
    width: int = 15

    def __post_init__(self):
        if self.kind not in COLUMN_KINDS:
            raise ImproperlyConfigured(
                f"Column {self.header!r}: kind {self.kind!r} not in {COLUMN_KINDS}"
            )


@dataclass(frozen=True)
class ReportDefinition:
    """A report other apps register with `register()`.

    rows(actor, params) yields one tuple per line, values in the columns' order,
    streamed from the app's selectors (`.iterator(chunk_size=…)`, `values_list`):
    never build a list of every row. estimate(actor, params) is the expected row
    count (for the progress bar). allowed(actor) says who may request it.
    `form` (optional) is a Django Form class for the parameters: its
    cleaned_data is what rows/estimate receive. `monthly_params` (optional)
    turns on the monthly scheduled run: given the first day of the month being
    reported, it returns that run's params; the file is built for each active
    Unimed and its gestores are e-mailed a link.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[Actor, dict], Iterable[tuple]]
    estimate: Callable[[Actor, dict], int]
    allowed: Callable[[Actor], bool]
    personal_data: bool = False
    description: str = ""
    form: type[forms.Form] | None = None
    monthly_params: Callable[[date], dict[str, Any]] | None = field(default=None)

    def __post_init__(self):
        if not self.key or not self.key.replace("_", "").isalnum() or len(self.key) > 80:
            raise ImproperlyConfigured(
                f"Report key {self.key!r}: use letters, digits and _ (max 80)"
            )
        if not self.columns:
            raise ImproperlyConfigured(f"Report {self.key!r} has no columns")


_REGISTRY: dict[str, ReportDefinition] = {}


def register(definition: ReportDefinition) -> None:
    """Make a report available. Registering another definition under a key
    already taken is a programming error (two apps would fight over a name)."""
    existing = _REGISTRY.get(definition.key)
    if existing is not None and existing != definition:
        raise ImproperlyConfigured(f"Report key {definition.key!r} is already registered")
    _REGISTRY[definition.key] = definition


def unregister(key: str) -> None:
    """For tests that register throw-away reports."""
    _REGISTRY.pop(key, None)


def get_definition(key: str) -> ReportDefinition | None:
    return _REGISTRY.get(key)


def all_definitions() -> list[ReportDefinition]:
    return sorted(_REGISTRY.values(), key=lambda d: d.title)


def available_for(actor: Actor) -> list[ReportDefinition]:
    """The reports this actor may request, by title."""
    return [d for d in all_definitions() if actor is not None and d.allowed(actor)]


def autodiscover() -> None:
    """Import every installed app's `reports` module so its register() calls run."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("reports")
