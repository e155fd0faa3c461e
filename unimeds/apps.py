from django.apps import AppConfig


class UnimedsConfig(AppConfig):
    name = "unimeds"
    verbose_name = "Rede Unimed"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from unimeds import checks, signals  # noqa: F401 - registers deploy checks, cache invalidation
        from unimeds.security import note_lockout

        user_locked_out.connect(note_lockout, dispatch_uid="gpu-staff-lockout-growth")
