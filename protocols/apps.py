from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "protocols"
    verbose_name = "Protocolos"
    default_auto_field = "django.db.models.BigAutoField"
