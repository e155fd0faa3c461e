from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "protocols"
    verbose_name = "Protocolos"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The outbox writes a delivery row for every public event, in its transaction.
        from protocols.outbox.services import deliveries_create_for_event
        from protocols.timeline import on_event

        on_event(deliveries_create_for_event)
        # E-mail notices (arrival, answer to the requester) are enqueued after commit.
        from protocols.notifications import notifications_for_event

        on_event(notifications_for_event)
        from protocols.panel_stats import dashboard_stats_invalidate

        on_event(dashboard_stats_invalidate)
