"""Admin pages of the background machinery: outbound e-mails (with "resend") and the
heartbeats of workers and beat. Kept apart from core/admin.py."""

from django.contrib import admin, messages

from core.models import Heartbeat, OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("status",)
    search_fields = ("subject",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Reenviar (novas tentativas)")
    def resend(self, request, queryset):
        from core.mail import email_resend

        actor = getattr(request, "actor", None)  # set by unimeds.middleware.ActorMiddleware
        count = sum(
            email_resend(actor=actor, email_id=pk) for pk in queryset.values_list("pk", flat=True)
        )
        messages.success(request, f"{count} e-mail(s) de volta à fila.")


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("kind", "name", "seen_at")
    list_filter = ("kind",)
    readonly_fields = ("kind", "name", "seen_at")

    def has_add_permission(self, request):
        return False
