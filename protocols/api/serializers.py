"""Body serializers of the GPU operations (wire names and sizes, DOMAIN.md §3)."""

from rest_framework import serializers

from protocols.api.wire import WireSerializer, digits, text


class _Requester(WireSerializer):
    nome = text(70, label="Nome do solicitante")
    cd_cpf = digits(11, required=False, label="CPF (só dígitos)")
    ddd = serializers.CharField(required=False, allow_blank=True, max_length=4)
    telefone = serializers.CharField(required=False, allow_blank=True, max_length=9)
    email = serializers.CharField(required=False, allow_blank=True, max_length=70)
    cd_uf = serializers.CharField(required=False, allow_blank=True, max_length=2)
    cd_cidade = digits(7, required=False, label="Município IBGE")
    tp_manifestacao = text(1, label="Tipo de manifestação")
    tp_categoria_manifestacao = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=1,
        help_text="Lista com exatamente uma categoria",
    )
    id_resposta = serializers.IntegerField(min_value=1, max_value=3,
                                           help_text="1 e-mail, 2 telefone, 3 WhatsApp/SMS")
    mensagem = text(4000)
    nr_protocolo_anterior = digits(20, required=False, label="Protocolo anterior (reanálise)")


class SolicitarProtocolo(_Requester):
    cd_unimed = digits(4, label="Unimed da carteirinha")
    id_benef = digits(13, label="Identificação do beneficiário (13 dígitos)")
    cd_uni_atendimento = digits(4, required=False, label="Unimed onde o beneficiário está sendo atendido")
    nr_transacao_intercambio = serializers.CharField(required=False, allow_blank=True, max_length=10)
    nr_protocolo = digits(20, required=False, label="Número já gerado pelo sistema da Unimed (opcional)")


class ProtocoloNaoCliente(_Requester):
    cd_cidade = digits(7, label="Município IBGE (define a Unimed da região)")
    tp_solicitante = serializers.CharField(required=False, allow_blank=True, max_length=2,
                                           help_text="PF ou PJ")
    nome_empresa = serializers.CharField(required=False, allow_blank=True, max_length=120)
    nome_solicitante = serializers.CharField(required=False, allow_blank=True, max_length=70)
    cd_cnpj = serializers.CharField(required=False, allow_blank=True, max_length=14,
                                    help_text="CNPJ (14 caracteres, aceita o alfanumérico)")
    nr_vidas = serializers.IntegerField(required=False, min_value=1, max_value=100_000)
    tp_plano = serializers.CharField(required=False, allow_blank=True, max_length=20,
                                     help_text="individual, empresarial ou adesao")
    plano_atual = serializers.CharField(required=False, allow_blank=True, max_length=120)
    faixa_etaria = serializers.ListField(child=serializers.JSONField(), required=False, max_length=10,
                                         help_text='["0-18", …] ou [{"faixa": "0-18", "vidas": 2}, …]')
    tp_modalidade = serializers.CharField(required=False, allow_blank=True, max_length=40)
    sinistralidade = serializers.DecimalField(required=False, max_digits=6, decimal_places=2, min_value=0)

    LEAD_FIELDS = ("nome_empresa", "cd_cnpj", "nr_vidas", "tp_plano", "plano_atual", "faixa_etaria",
                   "tp_modalidade", "sinistralidade")


class _ProtocolRef(WireSerializer):
    nr_protocolo = digits(20, label="Número do protocolo")


class ComplementaProtocolo(_ProtocolRef):
    mensagem = text(4000)


class ResponderAtendimento(_ProtocolRef):
    mensagem = text(4000)
    conclusiva = serializers.BooleanField(
        required=False, default=True,
        help_text="false = resposta parcial ('em análise'): o prazo continua correndo",
    )


class CancelarAtendimento(_ProtocolRef):
    motivo = text(4000, label="Motivo do cancelamento (obrigatório)")


class EncaminharExecucao(_ProtocolRef):
    cd_uni_destino = digits(4, label="Unimed que passa a ser responsável")
    motivo = text(4000, label="Motivo do encaminhamento")


class ConsultaStatusProtocolo(_ProtocolRef):
    pass


class HistoricoProtocoloConsulta(_ProtocolRef):
    pass


class StatusNaoCliente(_ProtocolRef):
    pass
