"""Hub operators look at leads and reservations here; changes go through the panel,
the API and contracts_import (services), so status rules and the audit trail hold."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from leads.models import ActiveContract, Lead, LeadEvent, LeadSettings, MarketReservation


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class LeadEventInline(admin.TabularInline):
    model = LeadEvent
    fields = ("at", "kind", "actor", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "unimed",
        "document",
        "name",
        "company_name",
        "status",
        "team",
        "owner",
        "created_at",
    )
    list_filter = ("status", "source", "team", "is_existing_client", "unimed")
    search_fields = ("document", "name", "company_name")
    list_select_related = ("unimed", "owner")
    inlines = [LeadEventInline]


@admin.register(MarketReservation)
class MarketReservationAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "document",
        "unimed",
        "seller",
        "starts_at",
        "expires_at",
        "renewals",
        "status",
    )
    list_filter = ("status", "unimed")
    search_fields = ("document",)
    list_select_related = ("unimed", "seller")


@admin.register(ActiveContract)
class ActiveContractAdmin(ReadOnlyAdmin):
    list_display = ("unimed", "contract_number", "document", "since", "active", "updated_at")
    list_filter = ("active", "unimed")
    search_fields = ("document", "contract_number")
    list_select_related = ("unimed",)


@admin.register(LeadSettings)
class LeadSettingsAdmin(ReadOnlyAdmin):
    list_display = ("unimed", "assignment_rule", "last_assigned", "updated_at")
