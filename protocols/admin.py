"""Hub admin: the catalog (deadline table) is editable; protocols and their timeline
are read-only here — they change only through the services."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from protocols.models import (
    Attachment,
    Category,
    ManifestationType,
    Protocol,
    ProtocolEvent,
    ProtocolSequence,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "deadline_rule",
        "deadline_days",
        "is_assistential",
        "is_active",
    )
    list_editable = ("deadline_rule", "deadline_days", "is_active")
    list_filter = ("deadline_rule", "is_assistential", "is_active")
    search_fields = ("name",)

    def has_delete_permission(self, request, obj=None):
        return False  # codes travel on the wire; deactivate instead


@admin.register(ManifestationType)
class ManifestationTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")
    filter_horizontal = ("categories",)
    search_fields = ("name",)

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProtocolEvent
    fields = (
        "seq",
        "at",
        "kind",
        "from_status",
        "to_status",
        "public",
        "actor_label",
        "channel",
        "message",
    )
    readonly_fields = fields
    extra = 0
    ordering = ("seq",)


@admin.register(Protocol)
class ProtocolAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "status",
        "kind",
        "channel",
        "responsible_unimed",
        "origin_unimed",
        "due_date",
        "opened_at",
    )
    list_filter = ("status", "kind", "channel", "responsible_unimed")
    search_fields = ("=number", "=requester_cpf", "=card", "requester_name")
    date_hierarchy = "opened_at"
    list_select_related = ("responsible_unimed", "origin_unimed")
    show_full_result_count = False  # COUNT(*) over a million rows on every page is wasted work
    inlines = [EventInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(ProtocolSequence)
class ProtocolSequenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("prefix", "day", "last_value")
    list_filter = ("day",)
    search_fields = ("=prefix",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "content_type", "size", "uploaded_at")
    exclude = ("file",)  # downloads go through the audited view


# Deliveries (integration outbox) are administered beside the protocols.
from protocols.outbox import admin as _outbox_admin  # noqa: E402, F401
