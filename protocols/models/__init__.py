from protocols.models.catalog import Category, DeadlineRule, ManifestationType
from protocols.models.delivery import DELIVERY_TRANSITIONS, Delivery, DeliveryStatus, InboundMessage
from protocols.models.notification import NotificationKind, ProtocolNotification
from protocols.models.protocol import (
    ACTION_RULES,
    FINAL_STATUSES,
    OPEN_STATUSES,
    ORIGIN,
    PARTY,
    PORTAL,
    RESPONSIBLE,
    SERVING,
    SYSTEM,
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
    "ACTION_RULES", "ORIGIN", "PARTY", "PORTAL", "RESPONSIBLE", "SERVING", "SYSTEM",
    "DELIVERY_TRANSITIONS", "Delivery", "DeliveryStatus", "InboundMessage",
    "FINAL_STATUSES", "OPEN_STATUSES", "TRANSITIONS", "AnswerPreference", "Attachment", "Category", "Channel",
    "DeadlineRule", "EventKind", "ImmutableError", "Kind", "ManifestationType", "NotificationKind", "Protocol",
    "ProtocolEvent", "ProtocolNotification",
    "ProtocolParty", "ProtocolSequence", "Status",
]
