"""Demo sharings for `seed_demo`, sent through the same intake as the API.

Idempotent: the messages are fixed, so a second run is a repeat and changes nothing.
- card 01370000000004242 (Unimed São Paulo) → repasse P to 0025 (Florianópolis):
  its protocols go to 0025;
- card 06660000000007373 (Unimed Curitiba) → custo operacional C in 0667 (Porto
  Alegre): its protocols stay with 0666, and the first event says why.
"""

from intercambio.api.serializers import RiskSharingMessageSerializer
from intercambio.services import risk_sharing_receive
from intercambio.wire import fingerprint
from unimeds.actors import Actor, ActorKind
from unimeds.models import Unimed

DEMO_MESSAGES = [
    {
        "cabecalho": {
            "codigoControleTransacao": 1370000000000001,
            "codigoVersaoPTU": "010",
            "unimed": {"codigoUnimedOrigem": 137, "codigoUnimedDestino": 25},
            "dataGeracao": "2026-01-05T09:00:00-03:00",
        },
        "dadosBeneficiario": {
            "carteirinhaBeneficiario": "01370000000004242",
            "tipoCompartilhamentoRisco": "P",
            "dataInicioCompartilhamentoRisco": "2026-01-05",
            "dataInclusaoPlanoDestino": "2026-01-05",
            "indicadorCompUB": False,
            "indicadorGeracaoLogomarca": True,
            "indicadorGeracaoCodigo": True,
        },
        "dadosEmpresaContratante": {
            "tipoEmpresa": {"cnpj": "11222333000181"},
            "tipoContratoLocal": 1,
        },
        "dadosPessoa": {
            "nomeCompletoBeneficiario": "ANA CAROLINA DEMONSTRACAO",
            "dataNascimento": "1985-04-17",
            "cpf": "52998224725",
            "cns": "898000000043208",
            "genero": "F",
        },
    },
    {
        "cabecalho": {
            "codigoControleTransacao": 6660000000000001,
            "codigoVersaoPTU": "010",
            "unimed": {"codigoUnimedOrigem": 666, "codigoUnimedDestino": 667},
            "dataGeracao": "2026-02-02T10:30:00-03:00",
        },
        "dadosBeneficiario": {
            "carteirinhaBeneficiario": "06660000000007373",
            "tipoCompartilhamentoRisco": "C",
            "dataInicioCompartilhamentoRisco": "2026-02-02",
            "indicadorCompUB": True,
            "indicadorGeracaoLogomarca": True,
            "indicadorGeracaoCodigo": True,
        },
        "dadosEmpresaContratante": {"tipoContratoLocal": 1},
        "dadosPessoa": {
            "nomeCompletoBeneficiario": "BRUNO DEMONSTRACAO SILVA",
            "dataNascimento": "1990-09-30",
            "cpf": "39053344705",
        },
    },
]


def seed(stdout) -> None:
    for message in DEMO_MESSAGES:
        origin = Unimed.objects.filter(
            code=f"{message['cabecalho']['unimed']['codigoUnimedOrigem']:04d}"
        ).first()
        if origin is None:
            stdout.write("Intercâmbio: rede de demonstração ausente; rode unimeds.demo antes.")
            return
        serializer = RiskSharingMessageSerializer(data=message)
        serializer.is_valid(raise_exception=True)
        answer = risk_sharing_receive(
            actor=Actor(unimed=origin, kind=ActorKind.SYSTEM),
            message=serializer.validated_data,
            fingerprint=fingerprint(message),
        )
        sharing = answer.body["compartilhamento"]
        stdout.write(
            f"Intercâmbio: carteirinha {sharing['carteirinha']} {sharing['tipoCompartilhamentoRisco']} "
            f"{sharing['unimedDetentora']['codigo']}→{sharing['unimedAtendimento']['codigo']} "
            f"({'já existia' if answer.replayed else 'incluído'})."
        )
