from django.contrib import admin

from cooperados.models import BulkJob, Cooperado
from core.admin import ReadOnlyAdminMixin


@admin.register(Cooperado)
class CooperadoAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only for the hub: changes go through the gestor panel (audited services)."""

    list_display = (
        "login",
        "full_name",
        "unimed",
        "situation",
        "must_change_password",
        "last_sign_in",
    )
    list_filter = ("situation", "profile", "unimed")
    search_fields = ("login", "search_name", "login_email")
    exclude = ("password",)


@admin.register(BulkJob)
class BulkJobAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "kind",
        "unimed",
        "status",
        "processed",
        "total",
        "requested_by_label",
        "created_at",
    )
    list_filter = ("status", "kind")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
