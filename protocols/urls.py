from django.urls import path, re_path

from protocols.outbox import panel as integrations_panel
from protocols.panel import attachments as views_attachments
from protocols.panel import bulk, detail, inbox, opening, workdesk

app_name = "protocols"

NUMBER = r"(?P<number>\d{20})"

urlpatterns = [
    path(
        "painel/protocolos/anexos/<int:pk>/",
        views_attachments.attachment_download,
        name="attachment_download",
    ),
    path("painel/integracoes/", integrations_panel.integration_log, name="integrations"),
    # Contingency panel (docs/panel.md)
    path("painel/protocolos/", inbox.inbox, name="inbox"),
    path("painel/protocolos/novo/", opening.protocol_new, name="new"),
    path("painel/protocolos/lote/", bulk.bulk_start, name="bulk"),
    path("painel/protocolos/lote/<int:job_id>/", bulk.bulk_job, name="bulk_job"),
    path("painel/protocolos/distribuicao/", bulk.distribution, name="distribution"),
    # Working aids (docs/panel.md, "Trabalho em equipe")
    path("painel/protocolos/novos/", workdesk.inbox_news, name="inbox_news"),
    path("painel/protocolos/exportar/", workdesk.inbox_export, name="inbox_export"),
    path("painel/protocolos/filtros/", workdesk.saved_filter_save, name="saved_filter_save"),
    path(
        "painel/protocolos/filtros/<int:filter_id>/excluir/",
        workdesk.saved_filter_delete,
        name="saved_filter_delete",
    ),
    path(
        "painel/protocolos/respostas-prontas/", workdesk.answer_templates, name="answer_templates"
    ),
    path(
        "painel/protocolos/respostas-prontas/<int:template_id>/",
        workdesk.answer_template_edit,
        name="answer_template",
    ),
    path(
        "painel/protocolos/respostas-prontas/<int:template_id>/excluir/",
        workdesk.answer_template_delete,
        name="answer_template_delete",
    ),
    path("painel/protocolos/municipios/", opening.municipality_options, name="municipalities"),
    path(
        "painel/protocolos/entregas/<int:delivery_id>/reenviar/",
        detail.delivery_redeliver_view,
        name="redeliver",
    ),
    re_path(rf"^painel/protocolos/{NUMBER}/$", detail.protocol_detail, name="detail"),
    re_path(rf"^painel/protocolos/{NUMBER}/aberto/$", opening.protocol_opened, name="opened"),
    re_path(
        rf"^painel/protocolos/{NUMBER}/resposta-pronta/$",
        workdesk.answer_template_fill,
        name="answer_template_fill",
    ),
    re_path(rf"^painel/protocolos/{NUMBER}/presenca/$", workdesk.presence, name="presence"),
    re_path(
        rf"^painel/protocolos/{NUMBER}/acao/(?P<action>[a-z_]+)/$",
        detail.protocol_action,
        name="action",
    ),
]
