from core.models import AuditEvent


def audit_record(
    *, actor, action: str, target_type: str, target_id: object, data: dict | None = None
) -> AuditEvent:
    """Append one audit row. `actor` is a unimeds.actors.Actor (or None for the system)."""
    return AuditEvent.objects.create(
        actor=actor.label if actor else "system",
        user=getattr(actor, "user", None),
        unimed=getattr(actor, "unimed", None),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        data=data or {},
        ip=getattr(actor, "ip", None),
    )
