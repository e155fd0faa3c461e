from django.apps import AppConfig


class IntercambioConfig(AppConfig):
    name = "intercambio"
    verbose_name = "Intercâmbio (compartilhamento de risco PTU)"
