"""The PTU risk-sharing message (seed 003), block by block, with pt-BR errors.

Wire names stay as PTU spells them; unknown keys are ignored (newer PTU versions add
fields), but every known field is checked. Errors are addressed by their path, e.g.
`dadosPessoa.cpf` or `dadosPessoa.complementosCadastrais.telefones.1.numero`.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.identifiers import (
    normalize_card,
    normalize_cep,
    normalize_cnpj,
    normalize_cns,
    normalize_cpf,
    normalize_uf,
)
from intercambio.api.fields import (
    DigitsField,
    IbgeField,
    IdentifierField,
    IntChoiceField,
    IsoDateField,
    OffsetDateTimeField,
    PersonNameField,
    StrictBooleanField,
    UnimedCodeField,
    not_in_future,
)
from intercambio.models import SharingType

# PTU/ANS domain tables. Kept as data: a new code is a one-line change.
ABRANGENCIA = {
    1: "nacional",
    2: "grupo de estados",
    3: "estadual",
    4: "grupo de municípios",
    5: "municipal",
}
CONTRATACAO = {1: "individual ou familiar", 2: "coletivo empresarial", 3: "coletivo por adesão"}
REGISTRO_PLANO_ANS = {1: "regulamentado", 2: "não regulamentado", 3: "adaptado"}
TIPO_TELEFONE = {1: "residencial", 2: "comercial", 3: "celular", 4: "recado"}
TIPO_EMAIL = {1: "pessoal", 2: "comercial"}
TIPO_ENDERECO = {1: "residencial", 2: "comercial", 3: "correspondência"}
TIPO_RESIDENCIA = {1: "própria", 2: "alugada", 3: "outra"}
ESTADO_CIVIL = {
    "S": "solteiro",
    "C": "casado",
    "V": "viúvo",
    "D": "divorciado",
    "J": "separado",
    "U": "união estável",
}
GENERO = {"M": "masculino", "F": "feminino"}


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, **kwargs)


def _code_choice(table: dict, message) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=list(table.items()), required=False, error_messages={"invalid_choice": message}
    )


class UnimedBlock(serializers.Serializer):
    codigoUnimedOrigem = UnimedCodeField(required=False)
    codigoUnimedDestino = UnimedCodeField()


class HeaderBlock(serializers.Serializer):
    codigoControleTransacao = DigitsField(max_length=20)
    codigoVersaoPTU = DigitsField(min_length=3, max_length=3)
    unimed = UnimedBlock()
    dataGeracao = OffsetDateTimeField()

    def validate_codigoControleTransacao(self, value: str) -> str:
        # 00123 and 123 are the same transaction: the key must not depend on padding.
        return value.lstrip("0") or "0"


class BeneficiaryBlock(serializers.Serializer):
    carteirinhaBeneficiario = IdentifierField(normalize_card)
    codigoControleUnimedBrasil = DigitsField(max_length=20, required=False)
    codigoFamiliaBenef = DigitsField(max_length=10, required=False)
    codigoDependenciaBeneficiario = DigitsField(min_length=2, max_length=2, required=False)
    carteirinhaBeneficiarioTitular = IdentifierField(normalize_card, required=False)
    dataInclusaoUnimed = IsoDateField(required=False)
    tipoCompartilhamentoRisco = serializers.ChoiceField(
        choices=SharingType.choices,
        error_messages={
            "invalid_choice": _(
                "Tipo de compartilhamento deve ser P (repasse) ou C (custo operacional)."
            )
        },
    )
    dataInicioCompartilhamentoRisco = IsoDateField()
    dataInclusaoPlanoDestino = IsoDateField(required=False)
    indicadorNato = StrictBooleanField(required=False)
    numeroMatricula = _text(30)
    codigoLotacao = _text(20)
    descricaoLotacao = _text(100)
    viaCartao = DigitsField(max_length=2, required=False)
    dataValidadeCartao = IsoDateField(required=False)
    codigoLocalAtendimento = DigitsField(max_length=4, required=False)
    numeroContrato = DigitsField(max_length=30, required=False)
    indicadorExcRN561 = StrictBooleanField(required=False)
    indicadorCompUB = StrictBooleanField(required=False)
    indicadorGeracaoLogomarca = StrictBooleanField(required=False)
    indicadorGeracaoCodigo = StrictBooleanField(required=False)

    def validate(self, attrs):
        errors = {}
        card, holder_card = (
            attrs["carteirinhaBeneficiario"],
            attrs.get("carteirinhaBeneficiarioTitular"),
        )
        if holder_card and holder_card[:4] != card[:4]:
            errors["carteirinhaBeneficiarioTitular"] = [
                _(
                    "A carteirinha do titular deve ser da mesma Unimed da carteirinha do beneficiário."
                )
            ]
        included = attrs.get("dataInclusaoUnimed")
        for name in ("dataInclusaoPlanoDestino", "dataValidadeCartao"):
            if included and attrs.get(name) and attrs[name] < included:
                errors[name] = [
                    _("Não pode ser anterior à data de inclusão na Unimed (dataInclusaoUnimed).")
                ]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class AddressBlock(serializers.Serializer):
    tipoResidencia = IntChoiceField(choices=TIPO_RESIDENCIA, required=False)
    tipoEndereco = IntChoiceField(choices=TIPO_ENDERECO, required=False)
    tipoLogradouro = DigitsField(max_length=3, required=False)
    logradouroPrincipal = _text(100)
    logradouro = _text(100)
    numeroLogradouro = _text(10)
    complemento = _text(60)
    bairro = _text(60)
    codigoMunicipio = IbgeField()
    cep = IdentifierField(normalize_cep)

    def validate_codigoMunicipio(self, value: str) -> str:
        from unimeds.selectors import municipality_get

        if municipality_get(value) is None:
            raise serializers.ValidationError(
                _("Município {code} não consta da tabela do IBGE.").format(code=value)
            )
        return value


class CompanyTypeBlock(serializers.Serializer):
    cnpj = IdentifierField(normalize_cnpj, required=False)
    cpf = IdentifierField(normalize_cpf, required=False)

    def validate(self, attrs):
        if ("cnpj" in attrs) == ("cpf" in attrs):
            raise serializers.ValidationError(
                _("Informe o CNPJ (pessoa jurídica) ou o CPF (pessoa física), um só.")
            )
        return attrs


class CompanyBlock(serializers.Serializer):
    codigoFilial = DigitsField(max_length=4, required=False)
    tipoEmpresa = CompanyTypeBlock(required=False)
    inscricaoEstadual = DigitsField(max_length=14, required=False)
    nomeEmpresa = _text(100)
    nomeEmpresaAbreviado = _text(30)
    endereco = AddressBlock(required=False)
    codigoEmpresaOrigem = DigitsField(max_length=10, required=False)
    tipoContratoLocal = DigitsField(max_length=2)


class PlanBlock(serializers.Serializer):
    codigoPlanoOrigem = _text(20)
    nomePlanoOrigem = _text(100)
    tipoAbrangencia = IntChoiceField(choices=ABRANGENCIA, required=False)
    tipoContratacao = IntChoiceField(choices=CONTRATACAO, required=False)
    codigoOperadoraAns = DigitsField(min_length=6, max_length=10, required=False)
    codigoRegistroPlanoAns = DigitsField(max_length=20, required=False)
    tipoRegistroPlanoAns = IntChoiceField(choices=REGISTRO_PLANO_ANS, required=False)
    codigoPlanoInter = DigitsField(max_length=3, required=False)


class IdentityDocumentBlock(serializers.Serializer):
    codigoIdentidade = serializers.RegexField(
        r"^[0-9A-Za-z]{1,15}$",
        error_messages={"invalid": _("Use de 1 a 15 letras ou dígitos, sem pontuação.")},
    )
    orgaoEmissor = serializers.RegexField(
        r"^[A-Za-z]{2,10}$", required=False, error_messages={"invalid": _("Use de 2 a 10 letras.")}
    )
    uf = IdentifierField(normalize_uf, required=False)
    codigoPais = DigitsField(min_length=3, max_length=3, required=False)


class PhoneBlock(serializers.Serializer):
    tipoTelefone = IntChoiceField(choices=TIPO_TELEFONE, required=False)
    ddd = DigitsField(min_length=2, max_length=2)
    numero = DigitsField(min_length=8, max_length=9)

    def validate_ddd(self, value: str) -> str:
        if "0" in value:
            raise serializers.ValidationError(_("DDD inválido: dois dígitos de 1 a 9, ex.: 11."))
        return value

    def validate_numero(self, value: str) -> str:
        if len(value) == 9 and value[0] != "9":
            raise serializers.ValidationError(_("Celular com 9 dígitos deve começar com 9."))
        if len(value) == 8 and value[0] not in "2345":
            raise serializers.ValidationError(
                _("Telefone fixo com 8 dígitos deve começar com 2, 3, 4 ou 5.")
            )
        return value


class EmailBlock(serializers.Serializer):
    tipoEmail = IntChoiceField(choices=TIPO_EMAIL, required=False)
    email = serializers.EmailField(max_length=70, error_messages={"invalid": _("E-mail inválido.")})


class ComplementsBlock(serializers.Serializer):
    enderecos = AddressBlock(many=True, required=False)
    telefones = PhoneBlock(many=True, required=False)
    emails = EmailBlock(many=True, required=False)


class PersonBlock(serializers.Serializer):
    nomeCompletoBeneficiario = PersonNameField(max_length=70)
    nomeAbreviadoBeneficiario = PersonNameField(max_length=25, required=False)
    genero = _code_choice(GENERO, _("Gênero deve ser M ou F."))
    cns = IdentifierField(normalize_cns, required=False)
    nomeMae = PersonNameField(max_length=70, required=False)
    dataNascimento = IsoDateField(validators=[not_in_future])
    codigoEstadoCivil = _code_choice(
        ESTADO_CIVIL,
        _("Estado civil deve ser um destes: {codes}.").format(codes=", ".join(ESTADO_CIVIL)),
    )
    indicadorBeneficiarioEstrangeiro = StrictBooleanField(required=False)
    cpf = IdentifierField(normalize_cpf, required=False)
    rg = IdentityDocumentBlock(required=False)
    complementosCadastrais = ComplementsBlock(required=False)


class RiskSharingMessageSerializer(serializers.Serializer):
    cabecalho = HeaderBlock()
    dadosBeneficiario = BeneficiaryBlock()
    dadosEmpresaContratante = CompanyBlock(required=False)
    dadosPlano = PlanBlock(required=False)
    dadosPessoa = PersonBlock()

    def validate(self, attrs):
        born = attrs["dadosPessoa"]["dataNascimento"]
        beneficiary = attrs["dadosBeneficiario"]
        errors = {}
        for name in (
            "dataInicioCompartilhamentoRisco",
            "dataInclusaoUnimed",
            "dataInclusaoPlanoDestino",
        ):
            if beneficiary.get(name) and beneficiary[name] < born:
                errors[name] = [_("Não pode ser anterior à data de nascimento do beneficiário.")]
        if errors:
            raise serializers.ValidationError({"dadosBeneficiario": errors})
        return attrs


class SharingQuerySerializer(serializers.Serializer):
    carteirinha = IdentifierField(normalize_card)


class HabitualityQuerySerializer(SharingQuerySerializer):
    dataInicio = IsoDateField()
    dataFim = IsoDateField()

    def validate(self, attrs):
        if attrs["dataFim"] < attrs["dataInicio"]:
            raise serializers.ValidationError(
                {"dataFim": [_("Deve ser igual ou posterior a dataInicio.")]}
            )
        if (attrs["dataFim"] - attrs["dataInicio"]).days > 366 * 5:
            raise serializers.ValidationError(
                {"dataFim": [_("O período consultado pode ter no máximo 5 anos.")]}
            )
        return attrs
