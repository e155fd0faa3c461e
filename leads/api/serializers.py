"""Wire format of the leads API (Portuguese field names, like the GPU messages)."""

from rest_framework import serializers

from leads.models import LeadSource, LeadStatus, LeadTeam, ReservationStatus


class LeadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tipo_documento = serializers.CharField(source="document_kind")
    documento = serializers.CharField(source="document")
    nome = serializers.CharField(source="name")
    nome_empresa = serializers.CharField(source="company_name")
    email = serializers.CharField()
    telefone = serializers.CharField(source="phone")
    cd_cidade = serializers.CharField(source="municipality_id")
    cd_unimed = serializers.CharField(source="unimed.code")
    nr_vidas = serializers.IntegerField(source="lives", allow_null=True)
    faixa_etaria = serializers.JSONField(source="age_bands")
    tp_plano = serializers.CharField(source="plan_type")
    plano_atual = serializers.CharField(source="current_plan")
    origem = serializers.ChoiceField(source="source", choices=LeadSource.choices)
    situacao = serializers.ChoiceField(source="status", choices=LeadStatus.choices)
    motivo_perda = serializers.CharField(source="lost_reason")
    equipe = serializers.ChoiceField(source="team", choices=LeadTeam.choices)
    ja_e_cliente = serializers.BooleanField(source="is_existing_client")
    vendedor = serializers.CharField(source="owner.username", allow_null=True, default=None)
    reservado = serializers.BooleanField(source="reserved", default=False)
    prazo_primeiro_contato = serializers.DateField(source="first_contact_due")
    primeiro_contato_em = serializers.DateTimeField(source="first_contact_at", allow_null=True)
    nr_protocolo = serializers.SerializerMethodField()
    criado_em = serializers.DateTimeField(source="created_at")
    atualizado_em = serializers.DateTimeField(source="updated_at")

    def get_nr_protocolo(self, lead) -> str | None:
        protocol = getattr(lead, "protocol", None)
        return getattr(protocol, "number", None) if protocol is not None else None


class LeadEventSerializer(serializers.Serializer):
    em = serializers.DateTimeField(source="at")
    tipo = serializers.CharField(source="kind")
    descricao = serializers.CharField(source="note")
    de = serializers.CharField(source="from_status")
    para = serializers.CharField(source="to_status")
    por = serializers.CharField(source="actor")


class LeadDetailSerializer(LeadSerializer):
    eventos = LeadEventSerializer(many=True, source="timeline")


class LeadFilterSerializer(serializers.Serializer):
    situacao = serializers.ChoiceField(choices=LeadStatus.choices, required=False)
    origem = serializers.ChoiceField(choices=LeadSource.choices, required=False)
    equipe = serializers.ChoiceField(choices=LeadTeam.choices, required=False)


class ReservationInputSerializer(serializers.Serializer):
    documento = serializers.CharField(
        max_length=30, help_text="CPF ou CNPJ (numérico ou alfanumérico), com ou sem máscara"
    )
    vendedor = serializers.CharField(
        max_length=150, help_text="Usuário (login) de um vendedor da Unimed do token"
    )


class ReservationReleaseInputSerializer(serializers.Serializer):
    motivo = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReservationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tipo_documento = serializers.CharField(source="document_kind")
    documento = serializers.CharField(source="document")
    cd_unimed = serializers.CharField(source="unimed.code")
    vendedor = serializers.CharField(source="seller.username")
    lead_id = serializers.IntegerField(allow_null=True)
    inicio = serializers.DateTimeField(source="starts_at")
    expira_em = serializers.DateTimeField(source="expires_at")
    renovacoes = serializers.IntegerField(source="renewals")
    renovacoes_restantes = serializers.IntegerField(source="renewals_left")
    situacao = serializers.ChoiceField(source="status", choices=ReservationStatus.choices)


class ContractLineSerializer(serializers.Serializer):
    documento = serializers.CharField(max_length=30)
    nr_contrato = serializers.CharField(max_length=40)
    dt_inicio = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        default="",
        help_text="AAAA-MM-DD ou DD/MM/AAAA",
    )
    ativo = serializers.BooleanField(required=False, default=True)


class ContractsInputSerializer(serializers.Serializer):
    contratos = ContractLineSerializer(many=True, allow_empty=False, max_length=1000)


class ContractResultSerializer(serializers.Serializer):
    linha = serializers.IntegerField(source="line")
    situacao = serializers.CharField(source="status")
    mensagem = serializers.CharField(source="message")


class ContractsReportSerializer(serializers.Serializer):
    criados = serializers.IntegerField()
    atualizados = serializers.IntegerField()
    erros = serializers.IntegerField()
    linhas = ContractResultSerializer(many=True)
