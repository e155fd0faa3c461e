from django.apps import AppConfig


class UnimedsConfig(AppConfig):
    name = "unimeds"
    verbose_name = "Rede Unimed"

    def ready(self) -> None:
        from unimeds import signals  # noqa: F401 - registers cache invalidation
