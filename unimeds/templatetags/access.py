"""Templates ask the permission matrix: {% load access %}{% if actor|may:"retencao" %}
or {% if actor|may:"retencao:administrar" %}."""

from django import template

from unimeds.models import Level

register = template.Library()


@register.filter
def may(actor, spec: str) -> bool:
    """The actor reaches the module ("module" or "module:level", level by name)."""
    if actor is None:
        return False
    module, _sep, level = str(spec).partition(":")
    wanted = Level[level.upper()] if level else Level.CONSULTAR
    return actor.may(module, wanted)
