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
        from protocols.panel.stats import dashboard_stats_invalidate

        on_event(dashboard_stats_invalidate)
        # A protocol arriving at a Unimed with a distribution rule gets an owner.
        from protocols.services.assignment import auto_assign_for_event

        on_event(auto_assign_for_event)
        # The catalog is memoised per process (core.refcache): an edit drops the memo.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core import refcache

        # Readiness and metrics watch the delivery outbox (core reads it through these).
        from core.health import Backlog, register_backlog
        from core.metrics import register_collector
        from protocols.models import Category, Delivery, DeliveryStatus, ManifestationType
        from protocols.outbox.metrics import delivery_gauges

        register_backlog(
            Backlog(
                Delivery,
                waiting=(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
                dead=DeliveryStatus.DEAD,
                pending_key="entregas_pendentes",
                oldest_key="entrega_mais_antiga_s",
                dead_key="entregas_mortas",
            )
        )
        register_collector(delivery_gauges)

        for model in (Category, ManifestationType):
            post_save.connect(
                refcache.bump, sender=model, dispatch_uid=f"refcache-{model.__name__}-save"
            )
            post_delete.connect(
                refcache.bump, sender=model, dispatch_uid=f"refcache-{model.__name__}-delete"
            )
        m2m_changed.connect(
            refcache.bump,
            sender=ManifestationType.categories.through,
            dispatch_uid="refcache-manifestation-categories",
        )
