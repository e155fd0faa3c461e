from datetime import datetime, time, timedelta

from django import template
from django.urls import reverse
from django.utils import timezone

from cooperados.models import Situation
from cooperados.selectors import cooperados_blocked_since, may_manage
from reports import cpf_for as core_cpf_for

register = template.Library()


@register.simple_tag
def cpf_for(cpf: str, actor) -> str:
    """LGPD: the whole CPF only for roles that may see it (same rule as the exports)."""
    return core_cpf_for(actor, cpf)


@register.inclusion_tag("cooperados/_home_bloqueados.html", takes_context=True)
def cooperados_blocked_this_week(context):
    """Home page block: cooperados of the Unimed blocked since Monday."""
    actor = context.get("actor")
    if actor is None or actor.unimed is None or not may_manage(actor):
        return {"show": False}
    today = timezone.localdate()
    monday = datetime.combine(today - timedelta(days=today.weekday()), time.min)
    blocked = cooperados_blocked_since(actor=actor, since=timezone.make_aware(monday))
    return {
        "show": True,
        "count": blocked.count(),
        "recent": list(blocked[:5]),
        "list_url": f"{reverse('cooperados:list')}?situation={Situation.BLOQUEADO}",
    }
