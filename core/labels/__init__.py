"""What people read in place of the codes the system stores: audit actions, the fields
and values of a change, who acted, why a delivery failed, the colour of a status. One
place, in pt-BR; templates reach it through core/templatetags/gpu_labels.py.

core sits below the apps (tests/architecture/test_layers.py): an app's TextChoices are
read through the app registry (a model field's choices), never imported here. A code
with no entry still reads as words (humanize), and tests/core/test_labels.py fails when
an audit action written anywhere in the code has no label.
"""

from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from core.labels.badges import (
    STATUS_BADGES,
    STATUS_MODELS,
    model_status_badge,
    status_badge_class,
    status_badge_html,
)
from core.labels.deliveries import delivery_failure_reason, delivery_summary
from core.labels.words import (
    ACTION_LABELS,
    ACTOR_LABELS,
    FIELD_LABELS,
    JOB_LABELS,
    RESULT_LABELS,
)

__all__ = [
    "ACTION_LABELS",
    "ACTOR_LABELS",
    "EMPTY",
    "FIELD_LABELS",
    "JOB_LABELS",
    "RESULT_LABELS",
    "STATUS_BADGES",
    "STATUS_MODELS",
    "action_label",
    "actor_label",
    "audit_changes",
    "delivery_failure_reason",
    "delivery_summary",
    "field_label",
    "humanize",
    "labelled_items",
    "model_status_badge",
    "result_label",
    "status_badge_class",
    "status_badge_html",
    "value_label",
]

EMPTY = "(vazio)"


def humanize(code: object) -> str:
    """Last resort for a code nobody labelled: words, not identifiers
    ("cooperado.emails_alterados" → "Cooperado: emails alterados")."""
    text = str(code or "").strip()
    if not text:
        return EMPTY
    parts = [p.replace("_", " ").strip() for p in text.split(".") if p.strip()]
    text = ": ".join(parts) if parts else text
    return text[:1].upper() + text[1:]


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action) or humanize(action)


def result_label(result: str) -> str:
    """The outcome of one line of an imported file."""
    return RESULT_LABELS.get(result) or humanize(result)


def actor_label(actor: str) -> str:
    """A stored actor (unimeds.actors.Actor.label) as people read it: a username stays,
    the system, the portal, a scheduled job and a service account get names."""
    actor = str(actor or "").strip()
    if not actor:
        return "—"
    if actor in ACTOR_LABELS:
        return ACTOR_LABELS[actor]
    if actor.startswith("svc:"):
        return f"Conta de serviço {actor[4:]}"
    if actor.startswith("tarefa:"):
        job = actor[len("tarefa:") :]
        return f"Tarefa agendada ({JOB_LABELS.get(job) or humanize(job).lower()})"
    return actor


# --- Fields and values, through the models' own names and choices ----------------
@cache
def _models_by_name() -> dict[str, list]:
    found: dict[str, list] = {}
    for model in apps.get_models():
        for key in (model._meta.label_lower, model._meta.model_name, model._meta.app_label):
            found.setdefault(key, []).append(model)
    return found


def _model_field(target_type: str, name: str):
    """The model field `name` of the record kind an audit row points at ("cooperado",
    "Lead", "cooperados.bulkjob"; "cooperados.busca" looks in the app's models)."""
    if not target_type:
        return None
    by_name = _models_by_name()
    key = str(target_type).lower()
    models = by_name.get(key) or by_name.get(key.split(".")[0], [])
    for model in models:
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def field_label(name: str, target_type: str = "") -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    field = _model_field(target_type, name)
    verbose = getattr(field, "verbose_name", None)
    if verbose:
        verbose = str(verbose)
        return verbose[:1].upper() + verbose[1:]
    return humanize(name)


def value_label(value, name: str = "", target_type: str = "") -> str:
    """A stored value as text: booleans Sim/Não, nothing "(vazio)", a choice by its label
    (the model field's TextChoices), lists and mappings item by item."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Sim" if value else "Não"
    if isinstance(value, list | tuple):
        return ", ".join(value_label(v, name, target_type) for v in value) if value else EMPTY
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label(k, target_type)}: {value_label(v, k, target_type)}"
            for k, v in value.items()
        )
    field = _model_field(target_type, name) if name else None
    choices = dict(getattr(field, "flatchoices", None) or ())
    if value in choices:
        return str(choices[value])
    return str(value)


def audit_changes(data: dict, target_type: str = "") -> list[tuple[str, str, str]]:
    """[(field, before, after)] of an audit row's "alteracoes", ready to read."""
    changes = (data or {}).get("alteracoes") or {}
    rows = []
    for name, change in changes.items():
        before, after = (
            (list(change) + [None, None])[:2] if isinstance(change, list) else ("", change)
        )
        rows.append(
            (
                field_label(name, target_type),
                value_label(before, name, target_type),
                value_label(after, name, target_type),
            )
        )
    return rows


def labelled_items(mapping: dict, target_type: str = "") -> list[tuple[str, str]]:
    """[(field, value)] of a flat mapping (search filters, result counts)."""
    return [
        (field_label(k, target_type), value_label(v, k, target_type))
        for k, v in (mapping or {}).items()
    ]
