from django.apps import AppConfig


class UnimedsConfig(AppConfig):
    name = "unimeds"
    verbose_name = "Rede Unimed"
