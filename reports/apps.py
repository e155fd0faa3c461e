from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Excel/CSV reports built in the background (docs/reports.md): the job rows, their
    registry, the writers and the panel page. Every app contributes its reports."""

    name = "reports"
    verbose_name = "Relatórios"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register core's own and every app's `<app>/reports.py`, and the Celery tasks
        # that build them (reports.tasks keeps the task names core.reports.*).
        from reports import admin, audit, autodiscover, tasks  # noqa: F401

        autodiscover()
