"""Hub admin for deliveries: read-only rows with a "redeliver" action (same service as the panel)."""

from django.contrib import admin, messages

from core.errors import DomainError
from core.labels import delivery_failure_reason
from protocols.models import Delivery
from protocols.outbox.services import delivery_redeliver
from unimeds.actors import actor_for_user


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "operation",
        "unimed",
        "protocol",
        "status",
        "attempts",
        "last_http_status",
        "failure",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "operation", "unimed")
    search_fields = ("uuid", "protocol__number", "unimed__code")
    date_hierarchy = "created_at"
    list_select_related = ("unimed", "protocol")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="motivo da falha")
    def failure(self, obj: Delivery) -> str:
        """The reason in words; the technical error is in last_error (read-only field)."""
        if not obj.last_error:
            return "—"
        return delivery_failure_reason(obj.last_error, obj.last_http_status)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Reenviar (nova série de tentativas, mesmo X-GPU-Delivery)")
    def redeliver(self, request, queryset):
        actor = actor_for_user(request.user)
        done = 0
        for delivery in queryset:
            try:
                delivery_redeliver(actor=actor, delivery_id=delivery.pk)
                done += 1
            except DomainError as exc:
                self.message_user(
                    request, f"Entrega {delivery.pk}: {exc.message}", messages.WARNING
                )
        if done:
            self.message_user(request, f"{done} entrega(s) de volta à fila.", messages.SUCCESS)
