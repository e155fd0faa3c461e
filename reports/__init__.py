"""Excel/CSV reports built in the background. See docs/reports.md.

Apps register definitions in `<app>/reports.py`; users request them with
`report_request`; a Celery task streams the rows into a file.
"""

from core.identifiers import format_cpf, mask_cpf
from reports.forms import PeriodForm, period_bounds
from reports.registry import (
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
from reports.sql import LocalDateTime


def report_request(
    *,
    actor,
    key: str,
    params: dict | None = None,
    fmt: str = "xlsx",
    full_cpf: bool = False,
    purpose: str = "",
):
    """Create a ReportJob and enqueue its build after commit (see services)."""
    from reports.services import report_request as _report_request

    return _report_request(
        actor=actor, key=key, params=params, fmt=fmt, full_cpf=full_cpf, purpose=purpose
    )


# Job parameter set only by report_request(full_cpf=True, purpose=…): a gestor asked for
# full CPFs and said why (audited). Forms never produce it, so a user cannot post it.
FULL_CPF = "_cpf_completo"


def may_export_full_cpf(actor) -> bool:
    """LGPD: only who administers the Unimed's reports (the gestor preset) may ask for
    an export with CPFs in full."""
    from unimeds.models import Level, Module

    return (
        actor is not None
        and actor.unimed is not None
        and actor.may(Module.RELATORIOS, Level.ADMINISTRAR)
    )


def export_cpf(actor, cpf: str, params: dict) -> str:
    """A CPF in an export: masked for every role by default; in full only in a job a
    gestor asked for with a stated purpose (and while the requester is still gestor)."""
    if not cpf:
        return ""
    if params.get(FULL_CPF) and may_export_full_cpf(actor):
        return format_cpf(cpf)
    return mask_cpf(cpf)


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
    "export_cpf",
    "may_export_full_cpf",
    "FULL_CPF",
    "get_definition",
    "period_bounds",
    "register",
    "report_request",
    "unregister",
]
