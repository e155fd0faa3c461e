from django.urls import path

from protocols import views_attachments
from protocols.outbox import panel as integrations_panel

app_name = "protocols"

urlpatterns = [
    path("painel/protocolos/anexos/<int:pk>/", views_attachments.attachment_download, name="attachment_download"),
    path("painel/integracoes/", integrations_panel.integration_log, name="integrations"),
]
