"""Template helpers of the Regulatório module."""

from django import template

from unimeds.models import Module

register = template.Library()


@register.filter
def may_regulatorio(actor) -> bool:
    """The nav link: shown only to those who reach the module (consultar or above)."""
    return actor is not None and actor.may(Module.REGULATORIO)
