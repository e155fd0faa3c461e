"""Wire format of the Regulatório API (Portuguese field names, like the GPU messages)."""

from rest_framework import serializers

from regulatorio.models import DemandKind, DemandStatus

# Service field → wire field, for the error's "campos".
WIRE_FIELDS = {
    "kind": "tipo",
    "ans_number": "numero_ans",
    "notified_on": "dt_notificacao",
    "card": "carteirinha",
    "beneficiary_name": "nome_beneficiario",
    "description": "descricao",
}


class DemandInputSerializer(serializers.Serializer):
    tipo = serializers.ChoiceField(choices=DemandKind.choices)
    numero_ans = serializers.CharField(max_length=40)
    dt_notificacao = serializers.DateField(input_formats=["%Y-%m-%d"])
    carteirinha = serializers.CharField(max_length=25)
    nome_beneficiario = serializers.CharField(max_length=70)
    descricao = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class DemandCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dt_prazo = serializers.DateField(source="due_date")
    unimed_responsavel = serializers.CharField(source="responsible_unimed.code")
    situacao = serializers.ChoiceField(source="status", choices=DemandStatus.choices)


class DemandSerializer(DemandCreatedSerializer):
    tipo = serializers.ChoiceField(source="kind", choices=DemandKind.choices)
    numero_ans = serializers.CharField(source="ans_number")
    dt_notificacao = serializers.DateField(source="notified_on")
    carteirinha = serializers.CharField(source="card")
    nome_beneficiario = serializers.CharField(source="beneficiary_name")
    unimed_notificada = serializers.CharField(source="received_by.code")
    resultado = serializers.CharField(source="outcome")
    dt_decisao = serializers.DateField(source="decided_on", allow_null=True)
    criado_em = serializers.DateTimeField(source="created_at")


class DemandFilterSerializer(serializers.Serializer):
    tipo = serializers.ChoiceField(choices=DemandKind.choices, required=False)
    situacao = serializers.ChoiceField(choices=DemandStatus.choices, required=False)
    numero_ans = serializers.CharField(max_length=40, required=False)
    prazo = serializers.ChoiceField(
        choices=["hoje", "dois_dias", "vencidas", "abertas"], required=False
    )
    notificada_de = serializers.DateField(required=False)
    notificada_ate = serializers.DateField(required=False)
