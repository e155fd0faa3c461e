from django.urls import path

from cooperados.api import views

urlpatterns = [
    path("cooperados/sessao", views.SessionView.as_view(), name="api-cooperados-sessao"),
    path("cooperados/senha", views.PasswordChangeView.as_view(), name="api-cooperados-senha"),
    path("cooperados/senha/esqueci", views.ForgotView.as_view(), name="api-cooperados-esqueci"),
    path("cooperados/eu", views.MeView.as_view(), name="api-cooperados-eu"),
]
