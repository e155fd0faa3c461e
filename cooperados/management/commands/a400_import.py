import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cooperados.models import BulkJobStatus
from cooperados.services.a400_import import REJECTED
from cooperados.services.a400_jobs import _folder, a400_import_job_run, a400_import_request
from core.errors import DomainError
from unimeds.actors import system_actor


def _chunks(path: Path, size: int = 1024 * 1024):
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


class Command(BaseCommand):
    help = (
        "Importa um arquivo de movimentação de prestadores (PTU A400, layout em docs/a400.md) como uma "
        "importação em segundo plano; sem --fila, aplica já neste processo e mostra o resultado."
    )

    def add_arguments(self, parser):
        parser.add_argument("arquivo", help="caminho do arquivo A400")
        parser.add_argument(
            "--detalhes", action="store_true", help="lista também as linhas aceitas"
        )
        parser.add_argument("--fila", action="store_true", help="só enfileira para um worker e sai")

    def handle(self, *args, **options):
        path = Path(options["arquivo"])
        if not path.is_file():
            raise CommandError(f"Arquivo não encontrado: {path}")
        try:
            job = a400_import_request(
                actor=system_actor(), chunks=_chunks(path), filename=path.name
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if options["fila"]:
            self.stdout.write(f"Importação #{job.pk} na fila ({job.total} registros 402).")
            return
        job = a400_import_job_run(job_id=job.pk)
        if job.status != BulkJobStatus.DONE:
            raise CommandError(job.error or f"Importação #{job.pk}: {job.get_status_display()}")
        with (_folder() / job.report_path).open(encoding="utf-8", newline="") as report:
            for row in csv.DictReader(report, delimiter=";"):
                if options["detalhes"] or row["resultado"] == REJECTED:
                    detail = f" — {row['detalhe']}" if row["detalhe"] else ""
                    self.stdout.write(
                        f"linha {row['linha']}: {row['resultado']} {row['codigo']} {row['login']}{detail}"
                    )
        c = job.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Unimed {job.unimed.code}: {c['criado']} criados, {c['atualizado']} atualizados, "
                f"{c['sem_alteracao']} sem alteração, {c['rejeitado']} rejeitados."
            )
        )
