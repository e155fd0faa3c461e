from django.http import QueryDict

from core.services import audit_record


def unimed_param(request) -> str | None:
    """The Unimed a hub admin chose (?unimed=0137); a gestor's own is implied."""
    return (request.POST.get("unimed") or request.GET.get("unimed") or "").strip() or None


def querystring(params: dict) -> str:
    q = QueryDict(mutable=True)
    for key, value in params.items():
        if value:
            q[key] = value
    return q.urlencode()


def audit_view(request, *, action: str, target_type: str, target_id, data: dict) -> None:
    """LGPD: who looked at or exported personal data, and when."""
    audit_record(
        actor=request.actor, action=action, target_type=target_type, target_id=target_id, data=data
    )
