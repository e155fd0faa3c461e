from protocols.models.catalog import Category, DeadlineRule, ManifestationType
from protocols.models.protocol import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    AnswerPreference,
    Channel,
    Kind,
    Protocol,
    ProtocolParty,
    ProtocolSequence,
    Status,
)
from protocols.models.timeline import Attachment, EventKind, ImmutableError, ProtocolEvent

__all__ = [
    "FINAL_STATUSES", "OPEN_STATUSES", "TRANSITIONS", "AnswerPreference", "Attachment", "Category", "Channel",
    "DeadlineRule", "EventKind", "ImmutableError", "Kind", "ManifestationType", "Protocol", "ProtocolEvent",
    "ProtocolParty", "ProtocolSequence", "Status",
]
