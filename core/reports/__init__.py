"""Excel/CSV reports built in the background. See docs/reports.md.

Apps register definitions in `<app>/reports.py`; users request them with
`report_request`; a Celery task streams the rows into a file.
"""

from core.identifiers import format_cpf, mask_cpf
from core.reports.forms import PeriodForm, period_bounds
from core.reports.registry import (
    COLUMN_KINDS,
    Column,
    ReportDefinition,
    all_definitions,
    autodiscover,
    available_for,
    get_definition,
    register,
    unregister,
)
from core.reports.sql import LocalDateTime


def report_request(*, actor, key: str, params: dict | None = None, fmt: str = "xlsx"):
    """Create a ReportJob and enqueue its build after commit (see services)."""
    from core.reports.services import report_request as _report_request

    return _report_request(actor=actor, key=key, params=params, fmt=fmt)


def cpf_for(actor, cpf: str) -> str:
    """A CPF as the actor may see it in an export: formatted, or masked (LGPD)."""
    if not cpf:
        return ""
    return format_cpf(cpf) if actor is not None and actor.may_see_cpf else mask_cpf(cpf)


__all__ = [
    "COLUMN_KINDS",
    "Column",
    "LocalDateTime",
    "PeriodForm",
    "ReportDefinition",
    "all_definitions",
    "autodiscover",
    "available_for",
    "cpf_for",
    "get_definition",
    "period_bounds",
    "register",
    "report_request",
    "unregister",
]
