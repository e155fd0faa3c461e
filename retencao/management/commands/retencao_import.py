from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from retencao.importers import TABLES, read_rows
from retencao.services import retention_load
from unimeds.actors import system_actor
from unimeds.selectors import unimed_by_code


class Command(BaseCommand):
    help = (
        "Importa faturas em atraso ou indicadores de contratos (CSV ou XLSX) para a retenção; "
        "rodar o mesmo arquivo de novo não muda nada (docs/retencao.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("tipo", choices=sorted(TABLES), help="faturas ou indicadores")
        parser.add_argument("arquivo", help="caminho do .csv ou .xlsx")
        parser.add_argument("--unimed", help="código da Unimed para linhas sem cd_unimed")

    def handle(self, *args, **options):
        unimed = None
        if options["unimed"]:
            unimed = unimed_by_code(options["unimed"].zfill(4))
            if unimed is None:
                raise CommandError(f"Unimed {options['unimed']} não encontrada ou inativa.")
        try:
            rows = read_rows(options["tipo"], options["arquivo"])
            results = retention_load(
                actor=system_actor(), kind=options["tipo"], rows=rows, unimed=unimed
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        counts: dict[str, int] = {}
        for result in results:
            counts[result.status] = counts.get(result.status, 0) + 1
            line = f"linha {result.line}: {result.status} — {result.message}"
            self.stdout.write(self.style.ERROR(line) if result.status == "erro" else line)
        summary = f"{len(results)} linha(s): " + ", ".join(
            f"{n} {status}" for status, n in sorted(counts.items())
        )
        self.stdout.write(
            self.style.WARNING(summary) if counts.get("erro") else self.style.SUCCESS(summary)
        )
