"""Body serializers of the GPU operations: block names, fields and sizes as the Unimeds'
systems send them (docs/api.md §3). Shapes only; the services decide the rest."""

from rest_framework import serializers

from gpu_api.wire import (
    CategoryListField,
    WireSerializer,
    digits,
    number,
    text,
    transaction_id,
    wire_datetime_field,
)

MESSAGE = 4000


class _Beneficiary(WireSerializer):
    cd_unimed = digits(4, required=False, label="Unimed da carteirinha")
    id_benef = digits(13, required=False, label="Identificação do beneficiário (13 dígitos)")


class _Contact(WireSerializer):
    cd_cpf = digits(11, required=False, label="CPF (só dígitos)")
    ddd = serializers.CharField(required=False, max_length=4, help_text="DDD (ex.: 48 ou 0048)")
    telefone = serializers.CharField(required=False, max_length=11)
    email = serializers.CharField(required=False, max_length=70)
    cd_uf = serializers.CharField(required=False, max_length=2)
    cd_cidade = digits(7, required=False, label="Município IBGE")


class _Manifestation(WireSerializer):
    tp_manifestacao = text(
        1, label='Tipo de manifestação: o dígito do sistema (ex.: "2") ou a letra do hub'
    )
    tp_categoria_manifestacao = CategoryListField(
        help_text="Lista de códigos de categoria; a primeira vale. Um código fora do catálogo abre o "
        "protocolo com a regra de prazo padrão, marcado como 'categoria não mapeada'."
    )
    tp_sub_categoria = number(
        label="Subcategoria (guardada como enviada)", min_value=0, max_value=2_000_000_000
    )


class SolicitarProtocolo(_Beneficiary, _Contact, _Manifestation):
    """001 solicitar_protocolo."""

    cd_unimed = digits(4, label="Unimed da carteirinha")
    id_benef = digits(13, label="Identificação do beneficiário (13 dígitos)")
    nome = text(70, label="Nome do beneficiário")
    cd_uni_atendimento = digits(
        4, required=False, label="Unimed onde o beneficiário está sendo atendido"
    )
    id_resposta = number(required=True, label="1 e-mail, 2 telefone, 3 WhatsApp/SMS")
    nr_transacao_intercambio = transaction_id(required=False, label="Transação de intercâmbio")
    nr_protocolo_anterior = digits(
        20, required=False, label="Protocolo anterior (reanálise); 20 zeros = nenhum"
    )
    mensagem = text(MESSAGE)
    id_sistema = number(label="Sistema de origem (informativo)")
    nr_protocolo = digits(
        20, required=False, label="Número já gerado pelo sistema da Unimed (opcional)"
    )


class ComplementoProtocolo(_Beneficiary):
    """003 pedido_complemento_protocolo."""

    nr_protocolo = digits(20, label="Número do protocolo")
    mensagem = text(MESSAGE)
    nr_transacao_intercambio = transaction_id(required=False)
    id_resposta = number(label="Forma de resposta (informativo)")


class RespostaAtendimento(_Beneficiary):
    """005 resposta_atendimento."""

    nr_protocolo = digits(20, label="Número do protocolo")
    mensagem = text(MESSAGE)
    id_resposta = number(label="Forma de resposta (informativo)")
    nr_transacao_origem_benef = transaction_id(
        required=False, label="Transação na Unimed do beneficiário"
    )
    nr_transacao_intercambio = transaction_id(required=False)
    conclusiva = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Extensão do hub: false = resposta parcial ('em análise'), o prazo continua correndo",
    )


class ConsultaStatusProtocolo(_Beneficiary):
    """007 consulta_status_protocolo."""

    nr_protocolo = digits(20, label="Número do protocolo")


class ConsultaHistorico(WireSerializer):
    """009 consulta_historico: the protocols of a beneficiary over a period."""

    cd_unimed = digits(4, label="Unimed da carteirinha")
    id_benef = digits(13, label="Identificação do beneficiário")
    dt_inicio_historico = wire_datetime_field(label="Início do período (AAAA-MM-DD hh:mm:ss)")
    dt_fim_historico = wire_datetime_field(label="Fim do período (AAAA-MM-DD hh:mm:ss)")


class Cancelamento(_Beneficiary):
    """011 cancelamento (header dt_cancelamento)."""

    nr_protocolo = digits(20, label="Número do protocolo")
    motivo_cancelamento = text(MESSAGE, label="Motivo do cancelamento (obrigatório)")


class EncaminharExecucao(_Beneficiary, _Contact):
    """013 encaminhar_execucao: the destination in the header (cd_uni_destino or nr_ans)."""

    nr_protocolo_anterior = digits(20, label="O protocolo que está sendo encaminhado")
    mensagem = text(MESSAGE, label="Motivo do encaminhamento")
    nome = text(70, required=False)
    tp_manifestacao = text(1, required=False)
    tp_categoria_manifestacao = CategoryListField(required=False)
    nr_transacao_intercambio = transaction_id(required=False)


class AgeBand(WireSerializer):
    faixa_etaria = text(10, label="Faixa etária ANS, ex.: 19-23")
    nr_vidas = number(required=False, min_value=1, max_value=100_000)


class SolicitarProtocoloNaoCliente(_Contact, _Manifestation):
    """015 solicitar_protocolo (non-client: a person or a company that wants a plan)."""

    tp_solicitante = text(2, required=False, label="PF/PJ (também F/J ou 1/2)")
    nome_empresa = text(120, required=False)
    nome_solicitante = text(70, required=False)
    nome = text(70, required=False)
    cd_cnpj = text(14, required=False, label="CNPJ (14 caracteres, aceita o alfanumérico)")
    cd_cidade = digits(7, label="Município IBGE (define a Unimed da região)")
    nr_vidas = number(min_value=1, max_value=100_000)
    tp_plano = text(
        20,
        required=False,
        label="Código do plano: 1 individual/familiar, 2 empresarial, 3 adesão (ou o nome)",
    )
    plano_atual = text(120, required=False)
    faixa_etaria = AgeBand(many=True, required=False)
    id_dependente = number(
        label="Quantidade de dependentes (informativo)", min_value=0, max_value=100_000
    )
    mensagem_plano = text(MESSAGE, required=False)
    tp_modalidade = text(40, required=False)
    sinistralidade = serializers.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=0,
        max_value=100_000,
        coerce_to_string=False,
    )
    id_resposta = number(required=True, label="1 e-mail, 2 telefone, 3 WhatsApp/SMS")
    mensagem = text(MESSAGE)

    LEAD_FIELDS = (
        "nome_empresa",
        "cd_cnpj",
        "nr_vidas",
        "tp_plano",
        "plano_atual",
        "faixa_etaria",
        "tp_modalidade",
        "sinistralidade",
        "mensagem_plano",
        "id_dependente",
    )


class RespostaNaoCliente(WireSerializer):
    """017 resposta_nao_cliente: the responsible Unimed answers a non-client protocol."""

    nr_protocolo = digits(20, label="Número do protocolo")
    mensagem = text(MESSAGE)
    id_resposta = number(label="Forma de resposta (informativo)")
    conclusiva = serializers.BooleanField(required=False, default=True)


class StatusNaoCliente(WireSerializer):
    """019 solicitar_status_protocolo_nao_cliente."""

    nr_protocolo = digits(20, label="Número do protocolo")
    cd_cpf = digits(11, required=False)
    cd_cnpj = text(14, required=False)
    email = text(70, required=False)
