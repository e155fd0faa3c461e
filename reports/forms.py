"""Reusable parameter forms for report definitions (and the request form)."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from core.forms import BootstrapFormMixin


class PeriodForm(BootstrapFormMixin, forms.Form):
    """A period in local dates, DD/MM/AAAA; both ends included. Default: last 30 days."""

    max_days = 3 * 366
    default_days = 30

    start = forms.DateField(
        label="De",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Vazio: início padrão do relatório.",
    )
    end = forms.DateField(
        label="Até",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Vazio: hoje.",
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or (end - timedelta(days=self.default_days))
        if start > end:
            self.add_error("end", "A data final deve ser igual ou posterior à inicial.")
        elif (end - start).days > self.max_days:
            self.add_error("start", f"Escolha um período de no máximo {self.max_days} dias.")
        data["start"], data["end"] = start, end
        return data


def period_bounds(start, end):
    """[start 00:00, the day after end 00:00) in America/Sao_Paulo, as aware datetimes,
    for filtering timestamps by local dates."""
    from datetime import datetime, time

    begin = timezone.make_aware(datetime.combine(start, time.min))
    finish = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return begin, finish
