"""Every write to protocols. Import from here: `from protocols.services import protocol_open`."""

from protocols.services.assignment import (
    protocol_assign,
    protocol_assume,
    protocol_settings_update,
)
from protocols.services.bulk import protocol_bulk_get, protocol_bulk_request
from protocols.services.intake import protocol_open
from protocols.services.lifecycle import (
    protocol_answer,
    protocol_cancel,
    protocol_close,
    protocol_complement,
    protocol_forward,
    protocol_note,
    protocol_reclassify,
    protocol_recompute_deadline,
    protocol_reopen,
)
from protocols.workdesk.services import answer_template_render

__all__ = [
    "answer_template_render",
    "protocol_answer",
    "protocol_assign",
    "protocol_assume",
    "protocol_settings_update",
    "protocol_bulk_get",
    "protocol_bulk_request",
    "protocol_cancel",
    "protocol_close",
    "protocol_complement",
    "protocol_forward",
    "protocol_note",
    "protocol_open",
    "protocol_reclassify",
    "protocol_recompute_deadline",
    "protocol_reopen",
]
