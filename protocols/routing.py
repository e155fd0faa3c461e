"""Which Unimed must answer a protocol ("Unimed responsável").

Resolution is an ordered list of steps; the first that knows the answer wins. A
step takes the card and municipality and returns (Unimed, reason) or None. The
intercâmbio risk-sharing registry goes first (by_risk_sharing, see
docs/intercambio.md); the card prefix and the municipality follow.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from core.errors import InvalidInput
from core.identifiers import card_unimed_code
from intercambio.selectors import responsible_for_card
from unimeds.models import Unimed
from unimeds.selectors import municipality_get, unimed_by_code, unimed_for_municipality

Resolution = tuple[Unimed, str]
Resolver = Callable[..., Resolution | None]


def by_risk_sharing(
    *, card: str | None = None, municipality_code: str | None = None
) -> Resolution | None:
    """An active intercâmbio sharing names who answers (and why) before the card prefix."""
    return responsible_for_card(card) if card else None


def by_card(*, card: str | None = None, municipality_code: str | None = None) -> Resolution | None:
    if not card:
        return None
    code = card_unimed_code(card)
    unimed = unimed_by_code(code)
    if unimed is None:
        raise InvalidInput(
            _("A Unimed %(code)s da carteirinha não está cadastrada ou ativa na rede.")
            % {"code": code},
            fields={"card": [f"Unimed {code} não encontrada na rede."]},
        )
    return unimed, f"Carteirinha da Unimed {code}: a Unimed do contrato responde."


def by_municipality(
    *, card: str | None = None, municipality_code: str | None = None
) -> Resolution | None:
    if card or not municipality_code:
        return None
    city = municipality_get(municipality_code)
    if city is None:
        raise InvalidInput(
            _("Município não encontrado."),
            fields={"municipality_code": [f"Município IBGE {municipality_code} não encontrado."]},
        )
    unimed = unimed_for_municipality(municipality_code)
    if unimed is None:
        message = f"Nenhuma Unimed ativa atende {city.name}/{city.uf}."
        raise InvalidInput(message, fields={"municipality_code": [message]})
    return (
        unimed,
        f"Não cliente em {city.name}/{city.uf} ({city.code}): área da Unimed {unimed.code}.",
    )


RESOLVERS: list[Resolver] = [by_risk_sharing, by_card, by_municipality]


def resolve_responsible(
    *, card: str | None = None, municipality_code: str | None = None
) -> Resolution:
    """(Unimed, reason in pt-BR). Beneficiary → card's Unimed; non-client → area of
    the municipality. Raises InvalidInput when nobody can be found."""
    for step in RESOLVERS:
        found = step(card=card, municipality_code=municipality_code)
        if found is not None:
            return found
    raise InvalidInput(
        _(
            "Informe a carteirinha (beneficiário) ou o município (não cliente) para definir a Unimed responsável."
        ),
        fields={"card": ["Informe a carteirinha ou o município."]},
    )
