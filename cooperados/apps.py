from django.apps import AppConfig


class CooperadosConfig(AppConfig):
    name = "cooperados"
    verbose_name = "Cooperados"
