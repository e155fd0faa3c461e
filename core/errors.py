"""Domain errors: a stable code, a pt-BR message and optional per-field messages.

Services raise these; the API turns them into JSON (core.api) and the panel into
form errors or messages, so every channel reports a rule the same way.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "erro_de_negocio"
    default_message = _("Operação não permitida.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = str(message or self.default_message)
        if code:
            self.code = code
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}
        super().__init__(self.message)

    @classmethod
    def from_validation_error(cls, error: ValidationError, *, prefix: str = "") -> "InvalidInput":
        if hasattr(error, "error_dict"):
            fields = {
                (f"{prefix}{name}" if name != "__all__" else (prefix.rstrip(".") or "__all__")): [
                    str(m) for e in errs for m in e.messages
                ]
                for name, errs in error.error_dict.items()
            }
        else:
            fields = {prefix.rstrip(".") or "__all__": [str(m) for m in error.messages]}
        first = next(iter(fields.values()))[0] if fields else str(_("Dados inválidos."))
        return InvalidInput(first, fields=fields)


class InvalidInput(DomainError):
    status = 400
    code = "dados_invalidos"
    default_message = _("Dados inválidos.")


class NotFound(DomainError):
    status = 404
    code = "nao_encontrado"
    default_message = _("Registro não encontrado.")


class Forbidden(DomainError):
    status = 403
    code = "acesso_negado"
    default_message = _("Você não tem permissão para esta operação.")


class Conflict(DomainError):
    status = 409
    code = "conflito"
    default_message = _("Conflito com o estado atual do registro.")


class InvalidTransition(Conflict):
    code = "transicao_invalida"
    default_message = _("Esta mudança de situação não é permitida.")
