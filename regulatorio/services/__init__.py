"""Every write to regulator demands. Import from here."""

from regulatorio.services.alerts import alerts_send
from regulatorio.services.demands import (
    ACTIONS,
    allowed_actions,
    demand_act,
    demand_attach,
    demand_register,
)
from regulatorio.services.owner import (
    demand_set_owner,
    may_assign_others,
    may_assume,
    owner_candidates,
)
from regulatorio.services.persus_import import persus_import
from regulatorio.services.subsidies import subsidy_request

__all__ = [
    "ACTIONS",
    "alerts_send",
    "allowed_actions",
    "demand_act",
    "demand_attach",
    "demand_register",
    "demand_set_owner",
    "may_assign_others",
    "may_assume",
    "owner_candidates",
    "persus_import",
    "subsidy_request",
]
