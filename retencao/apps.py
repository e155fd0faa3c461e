from django.apps import AppConfig


class RetencaoConfig(AppConfig):
    name = "retencao"
    verbose_name = "Retenção"

    def ready(self) -> None:
        # protocols does not know retention exists: it offers a hook on every new
        # protocol event, and a cancellation protocol opens a case from here.
        from protocols.panel.detail import register_related_links
        from protocols.timeline import on_event
        from retencao.selectors import protocol_case_links
        from retencao.services.feeds import case_from_protocol_event

        on_event(case_from_protocol_event)
        register_related_links(protocol_case_links)
