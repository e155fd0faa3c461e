from core.errors import DomainError


def apply_domain_error(form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's DomainError beside the fields it names; what names no field of
    this form goes at the top, once. `aliases` maps the service's keys to this form's
    field names where they differ ("requester.city_code" → "municipality").

    The form keeps everything the user typed, since it is re-rendered bound.
    """
    aliases = aliases or {}
    unplaced: list[str] = []
    for name, messages in (error.fields or {}).items():
        field = aliases.get(name) or name.rsplit(".", 1)[-1]
        for message in messages:
            if field in form.fields:
                if message not in form.errors.get(field, []):
                    form.add_error(field, message)
            elif message not in unplaced:
                unplaced.append(message)
    if not error.fields:
        unplaced.append(error.message)
    for message in unplaced:
        if message not in form.non_field_errors():
            form.add_error(None, message)


class BootstrapFormMixin:
    """Adds Bootstrap classes to widgets so templates can render fields plainly.

    `id_prefix`: for forms that share a page with others, so their ids (and the labels'
    `for`) stay unique — field names, and so what is posted, do not change."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            kind = getattr(widget, "input_type", "")
            css = (
                "form-check-input"
                if kind in ("checkbox", "radio")
                else ("form-select" if kind == "select" else "form-control")
            )
            widget.attrs.setdefault("class", css)
