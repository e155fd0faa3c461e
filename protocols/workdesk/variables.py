"""Answer template variables: {{nome}}, {{numero}}, {{prazo}}, … filled by a plain
substitution over an allowlist (never Django's template engine: a template written by
staff must not reach the request, settings or any object beyond these values)."""

import re

from django.utils import timezone

from protocols.models import Protocol

# name → (what it shows, pt-BR; how to read it from a protocol)
VARIABLES = {
    "nome": ("nome do solicitante", lambda p: p.requester_name),
    "primeiro_nome": ("primeiro nome do solicitante", lambda p: p.requester_name.split()[0]),
    "numero": ("número do protocolo", lambda p: p.number),
    "prazo": ("prazo de resposta (DD/MM/AAAA)", lambda p: p.due_date.strftime("%d/%m/%Y")),
    "aberto_em": (
        "data de abertura (DD/MM/AAAA)",
        lambda p: timezone.localtime(p.opened_at).strftime("%d/%m/%Y"),
    ),
    "tipo": ("tipo de manifestação", lambda p: p.manifestation_type.name),
    "categoria": ("categoria", lambda p: p.category.name),
    "unimed": ("nome da Unimed responsável", lambda p: p.responsible_unimed.name),
}
TOKEN = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def template_errors(body: str) -> list[str]:
    """pt-BR messages for what is wrong with a template's variables (empty: fine)."""
    errors = []
    unknown = []
    for raw in TOKEN.findall(body):
        name = raw.strip()
        if name not in VARIABLES and name not in unknown:
            unknown.append(name)
    if unknown:
        listed = ", ".join("{{" + n + "}}" for n in unknown)
        allowed = ", ".join("{{" + n + "}}" for n in VARIABLES)
        errors.append(f"Variável desconhecida: {listed}. Use apenas {allowed}.")
    rest = TOKEN.sub("", body)
    if "{{" in rest or "}}" in rest:
        errors.append("Chaves sem par: escreva cada variável como {{nome}}, com {{ e }}.")
    return errors


def fill(body: str, protocol: Protocol) -> str:
    """The body with each known variable replaced by the protocol's value. Text outside
    {{…}} is kept as typed; it becomes the answer's plain text (escaped where shown)."""
    return TOKEN.sub(
        lambda m: (
            str(VARIABLES[m.group(1).strip()][1](protocol) or "")
            if m.group(1).strip() in VARIABLES
            else m.group(0)
        ),
        body,
    )
