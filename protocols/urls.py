from django.urls import path

from protocols import views_attachments

app_name = "protocols"

urlpatterns = [
    path("painel/protocolos/anexos/<int:pk>/", views_attachments.attachment_download, name="attachment_download"),
]
