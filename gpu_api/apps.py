from django.apps import AppConfig


class GpuApiConfig(AppConfig):
    """The GPU transaction API: a channel (like the portal) that calls the protocols and
    leads services with messages shaped as the Unimeds' systems send them."""

    name = "gpu_api"
    verbose_name = "API GPU"
