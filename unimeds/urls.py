from django.urls import path

from unimeds import views, views_access

app_name = "unimeds"

urlpatterns = [
    path("entrar/", views.SignInView.as_view(), name="entrar"),
    path("sair/", views.SignOutView.as_view(), name="sair"),
    path(
        "entrar/convite/<uidb64>/<token>/", views.InviteAcceptView.as_view(), name="invite_accept"
    ),
    path("entrar/esqueci/", views_access.PasswordForgotView.as_view(), name="password_forgot"),
    path(
        "entrar/esqueci/enviado/",
        views_access.PasswordForgotSentView.as_view(),
        name="password_forgot_sent",
    ),
    path(
        "entrar/senha/<uidb64>/<token>/",
        views_access.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("entrar/verificar/", views_access.otp_verify, name="otp_verify"),
    path("painel/2fa/", views_access.otp_setup, name="otp_setup"),
    path("painel/2fa/codigos/", views_access.otp_recovery_codes, name="otp_recovery_codes"),
    path("painel/", views.panel_home, name="panel_home"),
    path("painel/equipe/", views.team_list, name="team_list"),
    path("painel/equipe/novo/", views.team_invite, name="team_invite"),
    path("painel/equipe/<int:user_id>/", views.team_member, name="team_member"),
    path("painel/equipe/<int:user_id>/ativo/", views.team_member_active, name="team_member_active"),
    path(
        "painel/equipe/<int:user_id>/convite/",
        views.team_member_reinvite,
        name="team_member_reinvite",
    ),
    path(
        "painel/equipe/<int:user_id>/desbloquear/",
        views_access.team_member_unlock,
        name="team_member_unlock",
    ),
    path(
        "painel/equipe/<int:user_id>/segundo-fator/",
        views_access.team_member_otp_reset,
        name="team_member_otp_reset",
    ),
]
