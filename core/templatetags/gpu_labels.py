"""Templates read codes through core.labels: {% load gpu_labels %}, then
{{ e.action|action_label }}, {{ e.actor|actor_label }},
{% for field, before, after in e|audit_changes %}, {% status_badge protocol %} or
{% status_badge "entrega" value label %}, {{ delivery|delivery_summary }}."""

from django import template

from core import labels

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return labels.action_label(action)


@register.filter
def actor_label(actor: str) -> str:
    return labels.actor_label(actor)


@register.filter
def audit_changes(event) -> list[tuple[str, str, str]]:
    """An audit row's changes: [(field, before, after)], each in words."""
    return labels.audit_changes(event.data, event.target_type)


@register.filter
def audit_items(event, key: str) -> list[tuple[str, str]]:
    """[(field, value)] of the mapping event.data[key] (search filters, result counts)."""
    value = (event.data or {}).get(key)
    return labels.labelled_items(value, event.target_type) if isinstance(value, dict) else []


@register.filter
def value_label(value) -> str:
    return labels.value_label(value)


@register.filter
def humanize_code(value) -> str:
    return labels.humanize(value)


@register.simple_tag
def status_badge(subject, value=None, label=None, field: str = "status"):
    """{% status_badge record %} (its status, or field="situation"), or
    {% status_badge "family" value label %} where there is no record."""
    if isinstance(subject, str):
        return labels.status_badge_html(subject, value, label if label is not None else value)
    return labels.model_status_badge(subject, field=field)


@register.filter
def delivery_summary(delivery) -> str:
    return labels.delivery_summary(delivery)


@register.filter
def failure_reason(record) -> str:
    """Why a delivery (last_error, last_http_status) or an integration call (error,
    http_status) failed, in words; "" when it did not."""
    error = getattr(record, "last_error", None)
    if error is None:
        error = getattr(record, "error", "")
    status = getattr(record, "last_http_status", getattr(record, "http_status", None))
    if not error:
        return ""
    return labels.delivery_failure_reason(error, status)


@register.filter
def field_names(names, target_type: str = "") -> str:
    """A list of field names as words ("attending_unimed, ends_on" → "Unimed de
    atendimento, Fim do compartilhamento")."""
    return ", ".join(labels.field_label(str(n), target_type) for n in names or ())


@register.filter
def status_class(family: str, value: str) -> str:
    """The badge class alone, for markup that is not a plain badge:
    class="badge {{ "prazo"|status_class:"vencido" }} fs-6"."""
    return labels.status_badge_class(family, value)


@register.filter
def result_label(result: str) -> str:
    return labels.result_label(result)
