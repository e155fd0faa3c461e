from django.urls import path

from unimeds import views

app_name = "unimeds"

urlpatterns = [
    path("entrar/", views.SignInView.as_view(), name="entrar"),
    path("sair/", views.SignOutView.as_view(), name="sair"),
    path("entrar/convite/<uidb64>/<token>/", views.InviteAcceptView.as_view(), name="invite_accept"),
    path("painel/", views.panel_home, name="panel_home"),
    path("painel/equipe/", views.team_list, name="team_list"),
    path("painel/equipe/novo/", views.team_invite, name="team_invite"),
    path("painel/equipe/<int:user_id>/", views.team_member, name="team_member"),
    path("painel/equipe/<int:user_id>/ativo/", views.team_member_active, name="team_member_active"),
    path("painel/equipe/<int:user_id>/convite/", views.team_member_reinvite, name="team_member_reinvite"),
]
