"""Hub operators' view of the intercâmbio registry. Changes go through the services:
sharings come from PTU messages; here they can only be ended (with a reason)."""

from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.utils import timezone

from core.admin import ReadOnlyAdminMixin
from core.errors import DomainError
from core.identifiers import mask_cpf
from intercambio.forms import EndSharingForm
from intercambio.models import (
    ActsFor,
    InboundMessage,
    PendingRiskSharing,
    RiskSharing,
    RiskSharingHistory,
)
from intercambio.services import risk_sharing_end
from unimeds.actors import actor_for_user


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class HistoryInline(admin.TabularInline):
    model = RiskSharingHistory
    extra = 0
    can_delete = False
    fields = (
        "recorded_at",
        "change",
        "sharing_type",
        "holder_unimed",
        "attending_unimed",
        "sender_unimed",
        "starts_on",
        "ends_on",
        "changed_fields",
        "message",
        "actor",
        "reason",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RiskSharing)
class RiskSharingAdmin(ReadOnlyAdmin):
    list_display = (
        "card",
        "sharing_type",
        "holder_unimed",
        "attending_unimed",
        "starts_on",
        "ends_on",
        "active",
        "updated_at",
    )
    list_filter = ("sharing_type", "attending_unimed", "holder_unimed")
    search_fields = ("card",)
    fields = (
        "card",
        "sharing_type",
        "holder_unimed",
        "attending_unimed",
        "sender_unimed",
        "starts_on",
        "ends_on",
        "last_generated_at",
        "full_name",
        "birth_date",
        "masked_cpf",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [HistoryInline]
    actions = ["end_sharing"]

    @admin.display(boolean=True, description="ativo hoje")
    def active(self, obj):
        return obj.is_active

    @admin.display(description="CPF")
    def masked_cpf(self, obj):
        return mask_cpf(obj.cpf)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser  # needed to run the action; every field stays read-only

    @admin.action(description="Encerrar compartilhamento (informar fim e motivo)")
    def end_sharing(self, request, queryset):
        form = EndSharingForm(
            request.POST if "apply" in request.POST else None,
            initial={"ends_on": timezone.localdate().strftime("%d/%m/%Y")},
        )
        if form.is_valid():
            actor = actor_for_user(request.user)
            for sharing in queryset:
                try:
                    risk_sharing_end(
                        actor=actor,
                        sharing_id=sharing.pk,
                        ends_on=form.cleaned_data["ends_on"],
                        reason=form.cleaned_data["reason"],
                    )
                    self.message_user(request, f"{sharing.card}: encerrado.", messages.SUCCESS)
                except DomainError as exc:
                    self.message_user(request, f"{sharing.card}: {exc.message}", messages.ERROR)
            return redirect(request.get_full_path())
        return render(
            request,
            "admin/intercambio/end_sharing.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "sharings": queryset,
                "title": "Encerrar compartilhamento de risco",
                "opts": self.model._meta,
            },
        )


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "received_at",
        "origin_unimed",
        "control_code",
        "ptu_version",
        "response_status",
        "sharing",
    )
    list_filter = ("origin_unimed", "response_status")
    search_fields = ("control_code", "sharing__card")
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in InboundMessage._meta.fields]


@admin.register(ActsFor)
class ActsForAdmin(admin.ModelAdmin):
    """Which Unimed may register intercâmbio on behalf of which (a federation, Unimed do Brasil)."""

    list_display = ("agent", "principal", "note", "created_at")
    search_fields = ("agent__code", "principal__code", "note")
    autocomplete_fields = ("agent", "principal")


@admin.register(PendingRiskSharing)
class PendingRiskSharingAdmin(ReadOnlyAdmin):
    list_display = (
        "card",
        "sender_unimed",
        "holder_unimed",
        "attending_unimed",
        "status",
        "created_at",
    )
    list_filter = ("status",)
    search_fields = ("card",)
    exclude = ("cpf", "birth_date")
