from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cooperados.services import a400_import
from cooperados.services.a400_import import REJECTED
from core.errors import DomainError
from unimeds.actors import system_actor


class Command(BaseCommand):
    help = "Importa um arquivo de movimentação de prestadores (PTU A400, layout em docs/a400.md)."

    def add_arguments(self, parser):
        parser.add_argument("arquivo", help="caminho do arquivo A400")
        parser.add_argument("--detalhes", action="store_true", help="lista também as linhas aceitas")

    def handle(self, *args, **options):
        path = Path(options["arquivo"])
        if not path.is_file():
            raise CommandError(f"Arquivo não encontrado: {path}")
        try:
            report = a400_import(actor=system_actor(), content=path.read_bytes(), filename=path.name)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for line in report.lines:
            if options["detalhes"] or line.status == REJECTED:
                detail = f" — {line.detail}" if line.detail else ""
                self.stdout.write(f"linha {line.line_no}: {line.status} {line.provider_code} {line.login}{detail}")
        c = report.counts
        self.stdout.write(self.style.SUCCESS(
            f"Unimed {report.unimed_code}: {c['criado']} criados, {c['atualizado']} atualizados, "
            f"{c['sem_alteracao']} sem alteração, {c['rejeitado']} rejeitados."
        ))
