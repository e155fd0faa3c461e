"""Every write to protocols. Import from here: `from protocols.services import protocol_open`."""

from protocols.services.intake import protocol_open

__all__ = ["protocol_open"]
