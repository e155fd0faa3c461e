from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from leads.importers import read_contract_rows
from leads.services import contracts_load
from unimeds.actors import system_actor
from unimeds.selectors import unimed_by_code


class Command(BaseCommand):
    help = (
        "Importa contratos ativos (CSV ou XLSX) para a verificação 'já é cliente'. "
        "Colunas: cd_unimed, documento, nr_contrato, dt_inicio, ativo (docs/leads.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("arquivo", help="caminho do .csv ou .xlsx")
        parser.add_argument(
            "--unimed", help="código da Unimed para linhas sem cd_unimed (e única aceita)"
        )

    def handle(self, *args, **options):
        unimed = None
        if options["unimed"]:
            unimed = unimed_by_code(options["unimed"].zfill(4))
            if unimed is None:
                raise CommandError(f"Unimed {options['unimed']} não encontrada ou inativa.")
        try:
            rows = read_contract_rows(options["arquivo"])
            results = contracts_load(actor=system_actor(), rows=rows, unimed=unimed)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        counts = {"criado": 0, "atualizado": 0, "erro": 0}
        for result in results:
            counts[result.status] += 1
            line = f"linha {result.line}: {result.status} — {result.message}"
            self.stdout.write(self.style.ERROR(line) if result.status == "erro" else line)
        summary = (
            f"{len(results)} linha(s): {counts['criado']} criada(s), "
            f"{counts['atualizado']} atualizada(s), {counts['erro']} com erro."
        )
        self.stdout.write(
            self.style.WARNING(summary) if counts["erro"] else self.style.SUCCESS(summary)
        )
