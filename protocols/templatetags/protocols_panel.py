"""Panel template helpers: the deadline badge, masked CPF and the dashboard block. Status
badges come from core.labels ({% load gpu_labels %}{% status_badge protocol %})."""

from datetime import timedelta
from html import escape
from urllib.parse import urlencode

from django import forms, template
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.business_days import business_days_between
from core.labels import status_badge_class, status_badge_html
from protocols.models import OPEN_STATUSES, Status
from protocols.numbering import local_day
from protocols.panel.charts import Bar, bar_chart
from protocols.panel.selectors import OWNER_NONE, TAB_OVERDUE, TAB_RECEIVED
from protocols.panel.stats import dashboard_stats
from protocols.panel.team import protocol_team_load
from reports import cpf_for
from unimeds.models import Level, Module

register = template.Library()
MONTHS_PT = ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"]


# Past this many business days ahead the clock just says "no prazo" (no day-by-day walk).
CLOCK_HORIZON = 30


def deadline_clock(protocol, today, *, uf: str = "", optional_off=frozenset()) -> str:
    """The time left of an open protocol as people say it: "vence hoje", "vence em 2 dias
    úteis" (the calendar of the Unimed: core.business_days), "vencido há 3 dias"."""
    due = protocol.due_date
    if due < today:
        days = (today - due).days
        return f"vencido há {days} dia{'s' if days != 1 else ''}"
    if due == today:
        return "vence hoje"
    if (due - today).days > CLOCK_HORIZON * 2:
        return "no prazo"
    left = business_days_between(today, due, uf=uf, optional_off=optional_off)
    if left == 0:  # due on a non-business day: the next business day counts
        return "vence no próximo dia útil"
    return f"vence em {left} dia{'s' if left != 1 else ''} út{'eis' if left != 1 else 'il'}"


_CLOCK = '<span class="badge {}" data-prazo="{}">{}</span>'
_ESCALATED = ' <span class="badge {}" title="Supervisores avisados">escalado</span>'.format(
    status_badge_class("prazo", "escalado")
)


@register.simple_tag
def deadline_badge(protocol, today=None, unimed=None) -> str:
    """The clock while open (see deadline_clock), marked when escalated at D-1; on time or
    late once answered. `unimed`: whose calendar counts the business days."""
    today = today or local_day()
    if protocol.status in OPEN_STATUSES:
        # Only an already loaded Unimed: the inbox rows carry none (no query per row).
        unimed = unimed or protocol._state.fields_cache.get("responsible_unimed")
        text = deadline_clock(
            protocol,
            today,
            uf=unimed.uf if unimed else "",
            optional_off=unimed.optional_off if unimed else frozenset(),
        )
        if protocol.due_date < today:
            css = status_badge_class("prazo", "vencido")
        elif protocol.due_date == today or text.startswith("vence em 1 ") or "próximo" in text:
            css = status_badge_class("prazo", "hoje")
        else:
            css = status_badge_class("prazo", "no_prazo")
        escalated = _ESCALATED if protocol.escalated_due == protocol.due_date else ""
        html = _CLOCK.format(css, protocol.due_date.isoformat(), escape(text)) + escalated
        return mark_safe(html)  # noqa: S308 — constant markup, the text escaped
    if protocol.status == Status.CANCELADO:
        return status_badge_html("prazo", "parado", "cancelado")
    late = protocol.answered_late
    if late is None:
        return ""
    if late:
        return status_badge_html("prazo", "respondido_com_atraso", "respondido com atraso")
    return status_badge_html("prazo", "respondido_no_prazo", "respondido no prazo")


@register.simple_tag
def requester_cpf(cpf: str, actor) -> str:
    """LGPD: the full CPF only for roles that may see it (reports.cpf_for)."""
    return cpf_for(actor, cpf) or "—"


def _inbox(**params) -> str:
    return f"{reverse('protocols:inbox')}?{urlencode({k: v for k, v in params.items() if v})}"


@register.inclusion_tag("protocols/_dashboard.html", takes_context=True)
def protocols_dashboard(context):
    actor = context.get("actor")
    panel_user = actor is not None and actor.may(Module.PROTOCOLOS)
    if not panel_user:
        return {"show": False}
    stats = dashboard_stats(actor=actor)
    today = stats["today"]
    days = [
        Bar(
            label=f"{day:%d}" if n % 5 == 0 or day == today else "",
            value=count,
            caption=str(count) if count else "",
            href=_inbox(aba="recebidos", de=day.isoformat(), ate=day.isoformat()),
            title=f"{day:%d/%m/%Y}: {count} recebido{'s' if count != 1 else ''}",
        )
        for n, (day, count) in enumerate(stats["per_day"])
    ]
    months = []
    for month, on_time, total in stats["on_time"]:
        percent = round(100 * on_time / total) if total else 0
        end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        months.append(
            Bar(
                label=f"{MONTHS_PT[month.month - 1]}/{month:%y}",
                value=percent,
                caption=f"{percent}%" if total else "—",
                # The bar counts protocols by the month they fall due: so does its list.
                href=_inbox(aba="recebidos", venc_de=month.isoformat(), venc_ate=end.isoformat()),
                title=f"{MONTHS_PT[month.month - 1]}/{month:%Y}: {on_time} de {total} no prazo"
                + (f" ({percent}%)" if total else ""),
            )
        )
    return {
        "show": True,
        "by_status": [
            (value, label, n, _inbox(aba="recebidos", situacao=value))
            for value, label, n in stats["by_status"]
        ],
        "due_today": stats["due_today"],
        "due_today_url": _inbox(aba="recebidos", prazo="hoje"),
        "overdue": stats["overdue"],
        "overdue_url": _inbox(aba="vencidos"),
        "per_day_chart": bar_chart(days, title="Protocolos recebidos por dia, últimos 30 dias"),
        "on_time_chart": bar_chart(
            months,
            title="Percentual respondido no prazo por mês",
            max_value=100,
            bar_width=48,
            gap=14,
            color="#0a5f55",
        ),
        "new_url": reverse("protocols:new"),
        "inbox_url": reverse("protocols:inbox"),
        "may_open": actor.unimed is not None,
    }


@register.inclusion_tag("protocols/_team_load.html", takes_context=True)
def protocols_team_load(context):
    """Home page block for those who administer Protocolos: who holds what, what is late."""
    actor = context.get("actor")
    if actor is None or actor.unimed is None or not actor.may(Module.PROTOCOLOS, Level.ADMINISTRAR):
        return {"show": False}
    load = protocol_team_load(actor=actor)
    members = []
    for member in load.members:
        pk = member.user.pk
        member.url = _inbox(aba=TAB_RECEIVED, dono=pk)
        member.overdue_url = _inbox(aba=TAB_OVERDUE, dono=pk)
        members.append(member)
    return {
        "show": True,
        "load": load,
        "members": members,
        "unowned_url": _inbox(aba=TAB_RECEIVED, dono=OWNER_NONE),
        "unowned_overdue_url": _inbox(aba=TAB_OVERDUE, dono=OWNER_NONE),
    }


@register.filter
def status_label(value: str) -> str:
    """A stored status value as the user reads it ("em_analise" → "Em análise")."""
    try:
        return Status(value).label
    except ValueError:
        return value


def _invalid(field) -> str:
    if not field.errors:
        return ""
    return f' aria-invalid="true" aria-describedby="{escape(field.auto_id)}_error"'


def select_field(field) -> str:
    """A bound ChoiceField as a Bootstrap <select>, built without a template per option
    (the inbox renders eight of them, some with every Unimed, on every page). Values
    and labels go through html.escape: Django's escaping, without its lazy-string
    checks on each of a hundred options."""
    value = field.value()
    value = "" if value is None else str(value)
    options = []
    for key, label in field.field.choices:
        key = str(key)
        selected = " selected" if key == value else ""
        options.append(f'<option value="{escape(key)}"{selected}>{escape(str(label))}</option>')
    return (
        f'<select name="{escape(field.html_name)}" id="{escape(field.auto_id)}" class="form-select"'
        f"{_invalid(field)}>{''.join(options)}</select>"
    )


def _input(field) -> str:
    widget = field.field.widget
    value = widget.format_value(field.value())
    value = "" if value is None else f' value="{escape(str(value))}"'
    css = escape(widget.attrs.get("class", "form-control"))
    return (
        f'<input type="{escape(widget.input_type)}" name="{escape(field.html_name)}"{value} class="{css}"'
        f'{_invalid(field)} id="{escape(field.auto_id)}">'
    )


@register.simple_tag
def filter_field(field) -> str:
    """Label, control and errors of one inbox filter (a select or a plain input) — the
    markup of Django's widgets, without a template render per field on every page."""
    control = select_field(field) if isinstance(field.field.widget, forms.Select) else _input(field)
    errors = "".join(
        f'<div class="invalid-feedback d-block" id="{escape(field.auto_id)}_error" role="alert">'
        f"{escape(str(e))}</div>"
        for e in field.errors
    )
    return mark_safe(  # noqa: S308 — names from our forms, values, labels and messages escaped
        f'<label class="form-label small" for="{escape(field.auto_id)}">{escape(str(field.label))}</label>'
        f"{control}{errors}"
    )
