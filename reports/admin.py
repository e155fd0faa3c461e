"""Hub operators see report jobs read-only (status changes go through the services)."""

from django.contrib import admin

from reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "title",
        "unimed",
        "requested_by",
        "format",
        "status",
        "rows_written",
        "rows_estimate",
        "created_at",
        "finished_at",
        "expires_at",
    )
    list_filter = ("status", "format", "scheduled", "report_key")
    search_fields = ("title", "report_key", "requested_by__username", "unimed__code")
    date_hierarchy = "created_at"
    list_select_related = ("unimed", "requested_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
