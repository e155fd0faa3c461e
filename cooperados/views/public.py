"""The cooperado's own page: choose a new password through an e-mailed link."""

from django.shortcuts import render

from cooperados import services
from cooperados.forms import PublicResetForm
from core.errors import DomainError
from core.forms import apply_domain_error


def reset_confirm(request, uidb64: str, token: str):
    try:
        coop = services.reset_target(uidb64, token)
    except DomainError as exc:
        return render(request, "cooperados/senha_link.html", {"invalid": exc.message}, status=404)
    form = PublicResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperado_reset_password_confirm(
                uidb64=uidb64, token=token, password=form.cleaned_data["password1"]
            )
        except DomainError as exc:
            if exc.fields.get("password"):
                form.add_error("password1", exc.message)
            else:
                apply_domain_error(form, exc)
        else:
            return render(request, "cooperados/senha_link.html", {"done": True, "coop": coop})
    return render(
        request,
        "cooperados/senha_link.html",
        {"form": form, "coop": coop},
        status=400 if form.errors else 200,
    )
