from django import template

from reports import cpf_for as core_cpf_for

register = template.Library()


@register.simple_tag
def cpf_for(cpf: str, actor) -> str:
    """LGPD: the whole CPF only for roles that may see it (same rule as the exports)."""
    return core_cpf_for(actor, cpf)
