"""Output serializers of the protocol read API (wire names, like the GPU messages)."""

from rest_framework import serializers

from protocols.models import Protocol, ProtocolEvent
from protocols.outbox.messages import requester_block, status_extras, wire_datetime
from protocols.selectors import protocol_timeline
from unimeds.api.permissions import api_actor


def event_item(event: ProtocolEvent) -> dict:
    return {
        "id_evento": str(event.uuid),
        "seq": event.seq,
        "tp_evento": event.kind,
        "ds_evento": event.get_kind_display(),
        "dt_evento": wire_datetime(event.at),
        "status_anterior": event.from_status,
        "status": event.to_status,
        "mensagem": event.message,
        "cd_uni_autor": event.actor_unimed.code if event.actor_unimed_id else None,
        "tp_cliente": event.channel,
    }


class ProtocolListSerializer(serializers.ModelSerializer):
    nr_protocolo = serializers.CharField(source="number")
    ds_status = serializers.CharField(source="get_status_display")
    tp_cliente = serializers.CharField(source="channel")
    tp_solicitante = serializers.CharField(source="kind")
    cd_uni_origem = serializers.CharField(source="origin_unimed.code", default=None)
    cd_uni_responsavel = serializers.CharField(source="responsible_unimed.code")
    cd_uni_atendimento = serializers.CharField(source="serving_unimed.code", default=None)
    tp_manifestacao = serializers.CharField(source="manifestation_type.code")
    tp_categoria_manifestacao = serializers.IntegerField(source="category.code")
    categoria_nao_mapeada = serializers.BooleanField(source="catalog_unmapped")
    dt_abertura = serializers.DateTimeField(source="opened_at")
    dt_prazo = serializers.DateField(source="due_date")
    atrasado = serializers.BooleanField(source="is_overdue")
    nome = serializers.CharField(source="requester_name")

    class Meta:
        model = Protocol
        fields = [
            "nr_protocolo",
            "status",
            "ds_status",
            "tp_cliente",
            "tp_solicitante",
            "cd_uni_origem",
            "cd_uni_responsavel",
            "cd_uni_atendimento",
            "tp_manifestacao",
            "tp_categoria_manifestacao",
            "categoria_nao_mapeada",
            "dt_abertura",
            "dt_prazo",
            "atrasado",
            "nome",
        ]


class ProtocolDetailSerializer(ProtocolListSerializer):
    """Everything a party needs to work the case, plus the public timeline."""

    dados = serializers.SerializerMethodField()
    eventos = serializers.SerializerMethodField()

    class Meta(ProtocolListSerializer.Meta):
        fields = [*ProtocolListSerializer.Meta.fields, "dados", "eventos"]

    def get_dados(self, protocol) -> dict:
        return {
            **requester_block(protocol),
            "nr_protocolo": protocol.number,
            "mensagem": protocol.message,
            "nr_protocolo_anterior": protocol.previous_number or None,
            "cd_uni_atendimento": protocol.serving_unimed.code
            if protocol.serving_unimed_id
            else None,
            "dt_abertura": wire_datetime(protocol.opened_at),
            **status_extras(protocol),
        }

    def get_eventos(self, protocol) -> list[dict]:
        actor = api_actor(self.context["request"])
        return [
            event_item(e)
            for e in protocol_timeline(actor=actor, protocol=protocol).filter(public=True)
        ]
