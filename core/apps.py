from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Núcleo"

    def ready(self):
        from core import admin_outbox, heartbeat  # noqa: F401 - admin pages; worker and beat heartbeats

        # The outbound e-mails are a backlog the readiness check watches.
        from core.health import Backlog, register_backlog
        from core.models import EmailStatus, OutboundEmail

        register_backlog(
            Backlog(
                OutboundEmail,
                waiting=(EmailStatus.PENDING, EmailStatus.SENDING),
                dead=None,
                pending_key="emails_pendentes",
                oldest_key="email_mais_antigo_s",
            )
        )
