import importlib
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction

# Order matters: the network first, then what lives in it.
DEMO_MODULES = (
    "unimeds.demo",
    "intercambio.demo",
    "protocols.demo",
    "leads.demo",
    "regulatorio.demo",
    "retencao.demo",
    "cooperados.demo",
    "core.demo",
)


class Command(BaseCommand):
    help = "Carrega os dados de demonstração (idempotente: pode rodar mais de uma vez)."

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            if find_spec(name.split(".")[0]) is None or find_spec(name) is None:
                continue
            with transaction.atomic():
                importlib.import_module(name).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Dados de demonstração prontos."))
