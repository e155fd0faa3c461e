from django.apps import AppConfig


class RegulatorioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "regulatorio"
    verbose_name = "Regulatório (NIP e PERSUS)"
