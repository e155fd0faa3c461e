"""Every write of the leads app. Import from here: `from leads.services import lead_intake`."""

from leads.services.assignment import lead_reassign, lead_settings_update, seller_pick
from leads.services.contracts import LineResult, contract_upsert, contracts_load
from leads.services.intake import lead_intake
from leads.services.nonclient import nonclient_request_open
from leads.services.pipeline import (
    CONTACT_CHANNELS,
    lead_log_contact,
    lead_mark_lost,
    lead_mark_won,
    lead_transition,
)
from leads.services.reservations import (
    ReservationConflict,
    reservation_release,
    reservation_renew,
    reservation_reserve,
    reservations_expire,
)

__all__ = [
    "CONTACT_CHANNELS",
    "LineResult",
    "ReservationConflict",
    "contract_upsert",
    "contracts_load",
    "lead_intake",
    "lead_log_contact",
    "lead_mark_lost",
    "lead_mark_won",
    "lead_reassign",
    "lead_settings_update",
    "lead_transition",
    "nonclient_request_open",
    "reservation_release",
    "reservation_renew",
    "reservation_reserve",
    "reservations_expire",
    "seller_pick",
]
