import json

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from unimeds.models import Unimed
from unimeds.services import service_account_create


class Command(BaseCommand):
    help = "Cria uma conta de serviço (OAuth2 client credentials) para uma Unimed e imprime as credenciais em JSON."

    def add_arguments(self, parser):
        parser.add_argument("codigo_unimed")
        parser.add_argument("--name", default="")

    def handle(self, *args, codigo_unimed, name, **options):
        unimed = Unimed.objects.filter(code=codigo_unimed).first()
        if unimed is None:
            raise CommandError(f"Unimed {codigo_unimed} não cadastrada.")
        try:
            account, secret = service_account_create(unimed=unimed, name=name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps({"client_id": account.client_id, "client_secret": secret}))
