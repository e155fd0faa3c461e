import secrets

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from unimeds.models import Unimed
from unimeds.services import unimed_endpoint_configure


class Command(BaseCommand):
    help = (
        "Configura a Unimed como integrada: URL base do endpoint (as entregas vão para "
        "<url>/<operacao>) e segredo de assinatura HMAC. Sem --secret, gera um e o imprime."
    )

    def add_arguments(self, parser):
        parser.add_argument("codigo", help="Código da Unimed (4 dígitos)")
        parser.add_argument(
            "url", nargs="?", default="", help="URL base, ex.: https://crm.unimed0137.coop.br/gpu"
        )
        parser.add_argument(
            "--secret", default="", help="Segredo de assinatura (mín. 16 caracteres)"
        )
        parser.add_argument(
            "--desligar", action="store_true", help="Volta a Unimed para a contingência (painel)"
        )
        parser.add_argument(
            "--aceita",
            default="",
            help="Códigos cd_transacao que o receptor aceita, ex.: 001,003,005,011,013,015,017 "
            "(008 = empurrar outras mudanças de situação). Sem a opção, mantém os atuais.",
        )

    def handle(self, *args, codigo, url, secret, desligar, aceita, **options):
        unimed = Unimed.objects.filter(code=codigo).first()
        if unimed is None:
            raise CommandError(f"Unimed {codigo} não cadastrada.")
        generated = not secret and not desligar and not unimed.signing_secret
        if generated:
            secret = secrets.token_urlsafe(32)
        try:
            unimed = unimed_endpoint_configure(
                actor=None,
                unimed=unimed,
                url=url or unimed.endpoint_url,
                secret=secret or unimed.signing_secret,
                integrated=not desligar,
                accepts=[c.strip() for c in aceita.split(",") if c.strip()] or None,
            )
        except DomainError as exc:
            detail = "; ".join(m for msgs in exc.fields.values() for m in msgs) or exc.message
            raise CommandError(detail) from exc
        if desligar:
            self.stdout.write(
                f"Unimed {unimed.code}: integração desligada (contingência pelo painel)."
            )
            return
        self.stdout.write(
            f"Unimed {unimed.code} integrada: entregas em {unimed.endpoint_url}/<operacao> "
            f"(mensagens aceitas: {', '.join(unimed.receiver_accepts) or 'nenhuma'})."
        )
        if generated:
            self.stdout.write(
                f"Segredo de assinatura gerado (guarde-o; não será exibido de novo): {secret}"
            )
