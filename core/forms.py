from core.errors import DomainError


def apply_domain_error(form, error: DomainError) -> None:
    """Show a service's DomainError beside the fields it names (else at the top).

    The form keeps everything the user typed, since it is re-rendered bound.
    """
    placed = False
    for name, messages in (error.fields or {}).items():
        field = name.rsplit(".", 1)[-1]
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class BootstrapFormMixin:
    """Adds Bootstrap classes to widgets so templates can render fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            kind = getattr(widget, "input_type", "")
            css = "form-check-input" if kind in ("checkbox", "radio") else (
                "form-select" if kind == "select" else "form-control")
            widget.attrs.setdefault("class", css)
