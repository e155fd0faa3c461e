from django.contrib import admin

from core.labels import action_label
from core.models import AuditEvent, IntegrationLog


class ReadOnlyAdminMixin:
    """For what the hub only looks at in the admin: records written by the services
    (which keep the rules and the audit trail) or immutable by nature."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "actor", "unimed", "action", "what", "target_type", "target_id")
    list_filter = ("action", "target_type")
    search_fields = ("actor", "target_id", "action")
    date_hierarchy = "at"

    @admin.display(description="o quê")
    def what(self, obj: AuditEvent) -> str:
        return action_label(obj.action)


@admin.register(IntegrationLog)
class IntegrationLogAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "direction",
        "operation",
        "unimed",
        "http_status",
        "duration_ms",
        "request_id",
    )
    list_filter = ("direction", "operation", "http_status")
    search_fields = ("request_id", "operation", "unimed__code")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in IntegrationLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
