"""A non-client's request: a protocol for the municipality's Unimed and, when it is a
plan demand, a lead linked to it, in one transaction (both or neither). The portal's
"Quero um plano" and the GPU API's protocoloNaoCliente both come through here."""

from django.db import transaction

from leads.models import Lead
from leads.services.intake import lead_intake
from protocols.models import Kind, Protocol
from protocols.services import protocol_open
from unimeds.actors import Actor


@transaction.atomic
def nonclient_request_open(
    *, actor: Actor, source: str, demand: dict | None = None, **protocol_fields
) -> tuple[Protocol, Lead | None]:
    """Open the non-client protocol (`protocol_fields` as protocols.services.protocol_open
    takes them) and, with a `demand` (lead_intake's document, name, email, phone, lives,
    age_bands, plan_type, current_plan, company_name, message), register the lead for the
    protocol's municipality. Raises the services' InvalidInput (protocol errors under
    protocol_open's keys, lead errors under lead_intake's)."""
    protocol = protocol_open(actor=actor, kind=Kind.NAO_CLIENTE, **protocol_fields)
    if demand is None:
        return protocol, None
    lead, _created = lead_intake(
        actor=actor,
        source=source,
        protocol=protocol,
        municipality_code=protocol_fields.get("municipality_code") or protocol.city_code,
        **demand,
    )
    return protocol, lead
