"""The leads blocks of the panel's home page: the seller's work and the team's load."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from leads.models import LeadStatus
from leads.selectors import lead_home, team_load
from protocols.panel.charts import Bar, bar_chart
from unimeds.models import Level, Module

register = template.Library()
MONTHS_PT = ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"]


def _list(**params) -> str:
    return f"{reverse('leads:list')}?{urlencode({k: v for k, v in params.items() if v})}"


@register.inclusion_tag("leads/_home.html", takes_context=True)
def leads_home(context):
    actor = context.get("actor")
    if actor is None or actor.unimed is None or not actor.may(Module.LEADS):
        return {"show": False}
    home = lead_home(actor=actor)
    funnel = [
        Bar(
            label=str(label)[:10],
            value=n,
            caption=str(n),
            href=_list(status=value),
            title=f"{label}: {n} lead{'s' if n != 1 else ''}",
        )
        for value, label, n in home["funnel"]
    ]
    won = [
        Bar(
            label=f"{MONTHS_PT[month.month - 1]}/{month:%y}",
            value=n,
            caption=str(n),
            href=_list(status=LeadStatus.GANHO),
            title=f"{MONTHS_PT[month.month - 1]}/{month:%Y}: {n} ganho{'s' if n != 1 else ''}",
        )
        for month, n in home["won_by_month"]
    ]
    return {
        "show": True,
        "home": home,
        "overdue_url": _list(deadline="vencido"),
        "today_url": _list(deadline="hoje"),
        "list_url": reverse("leads:list"),
        "funnel_chart": bar_chart(
            funnel, title="Leads por etapa", bar_width=56, gap=12, color="#00995d"
        ),
        "won_chart": bar_chart(
            won, title="Leads ganhos por mês", bar_width=48, gap=14, color="#0a5f55"
        ),
        "supervises": actor.may(Module.LEADS, Level.ADMINISTRAR),
    }


@register.inclusion_tag("leads/_team_load.html", takes_context=True)
def leads_team_load(context):
    actor = context.get("actor")
    if actor is None or actor.unimed is None or not actor.may(Module.LEADS, Level.ADMINISTRAR):
        return {"show": False}
    members = team_load(actor=actor)
    for member in members:
        member["url"] = _list(owner=member["user"].pk)
    return {"show": True, "members": members}
