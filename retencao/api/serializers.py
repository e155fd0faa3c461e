"""Wire format of the retention API (Portuguese field names, like the other APIs)."""

from rest_framework import serializers

from retencao.models import CaseOrigin, CaseQueue, CaseStatus


def _text(max_length: int, *, required: bool = True, help_text: str = ""):
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        default=serializers.empty if required else "",
        help_text=help_text,
    )


class BillLineSerializer(serializers.Serializer):
    documento = _text(30, help_text="CPF ou CNPJ, com ou sem máscara")
    nr_contrato = _text(40)
    fatura = _text(40, help_text="Número da fatura: a chave (a mesma fatura de novo não muda nada)")
    vencimento = _text(10, help_text="AAAA-MM-DD ou DD/MM/AAAA")
    valor = _text(20, help_text="1234.56 ou 1234,56")
    dias_atraso = serializers.IntegerField(min_value=0, max_value=1_000_000)
    nome = _text(150, required=False)


class BillsInputSerializer(serializers.Serializer):
    faturas = BillLineSerializer(many=True, allow_empty=False, max_length=1000)


class IndicatorsLineSerializer(serializers.Serializer):
    documento = _text(30)
    nr_contrato = _text(40)
    nome = _text(150, required=False)
    vidas = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False, allow_null=True
    )
    faixas_etarias = serializers.JSONField(
        required=False,
        default=list,
        help_text='["0-18", "29-33"] ou [{"faixa": "0-18", "vidas": 2}]',
    )
    sinistralidade = _text(12, required=False, help_text="percentual, ex.: 72.5")
    meses_contrato = serializers.IntegerField(
        min_value=0, max_value=10_000, required=False, allow_null=True
    )
    mensalidade = _text(20, required=False)


class IndicatorsInputSerializer(serializers.Serializer):
    contratos = IndicatorsLineSerializer(many=True, allow_empty=False, max_length=1000)


class LineResultSerializer(serializers.Serializer):
    linha = serializers.IntegerField(source="line")
    situacao = serializers.CharField(source="status")
    mensagem = serializers.CharField(source="message")
    caso_id = serializers.IntegerField(source="case_id", allow_null=True)


class LoadReportSerializer(serializers.Serializer):
    totais = serializers.DictField(child=serializers.IntegerField())
    linhas = LineResultSerializer(many=True)


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cd_unimed = serializers.CharField(source="unimed.code")
    tipo_documento = serializers.CharField(source="document_kind")
    documento = serializers.CharField(source="document")
    nome = serializers.CharField(source="name")
    nr_contrato = serializers.CharField(source="contract_number")
    origem = serializers.ChoiceField(source="origin", choices=CaseOrigin.choices)
    fila = serializers.ChoiceField(source="queue", choices=CaseQueue.choices)
    situacao = serializers.ChoiceField(source="status", choices=CaseStatus.choices)
    prioridade = serializers.IntegerField(source="priority")
    nr_protocolo = serializers.CharField(source="protocol.number", allow_null=True, default=None)
    responsavel = serializers.CharField(source="owner.username", allow_null=True, default=None)
    prazo_primeiro_contato = serializers.DateField(source="first_contact_due")
    tipo_oferta = serializers.CharField(source="offer_type")
    oferta = serializers.CharField(source="offer_text")
    motivo_desfecho = serializers.CharField(source="outcome_reason")
    aberto_em = serializers.DateTimeField(source="opened_at")
    encerrado_em = serializers.DateTimeField(source="closed_at", allow_null=True)
