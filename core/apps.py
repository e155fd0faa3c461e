from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Núcleo"

    def ready(self):
        # Reports: register core's own and every app's `<app>/reports.py`, and the
        # Celery tasks that build them (core.reports is not a `tasks` module).
        from core import admin_outbox, heartbeat  # noqa: F401 - admin pages; worker and beat heartbeats
        from core.reports import admin, audit, autodiscover, tasks  # noqa: F401

        autodiscover()
