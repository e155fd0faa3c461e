"""Every write to retention. Import from here: `from retencao.services import case_transition`."""

from retencao.services.cases import (
    case_create,
    case_log_contact,
    case_reassign,
    case_transition,
)
from retencao.services.feeds import case_from_protocol_event, retention_load
from retencao.services.rules import retention_settings_update, rule_create, rule_update

__all__ = [
    "case_create",
    "case_from_protocol_event",
    "case_log_contact",
    "case_reassign",
    "case_transition",
    "retention_load",
    "retention_settings_update",
    "rule_create",
    "rule_update",
]
