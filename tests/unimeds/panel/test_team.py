import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from core.models import AuditEvent
from tests.factories import PASSWORD

User = get_user_model()


@pytest.fixture
def gestor_client(client, unimed, make_staff):
    make_staff(unimed, "gestor", username="gestor.0137")
    client.post("/entrar/", {"username": "gestor.0137", "password": PASSWORD})
    return client


def test_gestor_invites_a_user_who_sets_a_password(
    gestor_client, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = gestor_client.post(
            "/painel/equipe/novo/",
            {
                "full_name": "Ana Lima",
                "username": "ana.lima",
                "cpf": "529.982.247-25",
                "email": "ana@example.com.br",
                "roles": ["atendente", "supervisor"],
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="ana.lima")
    assert user.membership.unimed.code == "0137" and user.membership.cpf == "52998224725"
    assert user.membership.roles == {"atendente", "supervisor"}
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(action="equipe.convidado", target_id=str(user.pk)).exists()
    link = re.search(r"http://\S+/entrar/convite/\S+/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else link
    anon = client.__class__()
    form = anon.get(path, follow=True)
    assert form.status_code == 200
    response = anon.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"new_password1": "Uma-senha-forte-2026", "new_password2": "Uma-senha-forte-2026"},
    )
    assert response.status_code == 302
    assert (
        anon.post(
            "/entrar/", {"username": "ana.lima", "password": "Uma-senha-forte-2026"}
        ).status_code
        == 302
    )


def test_invalid_invite_keeps_what_was_typed(gestor_client):
    response = gestor_client.post(
        "/painel/equipe/novo/",
        {
            "full_name": "Ana Lima",
            "username": "ana.lima",
            "cpf": "123.456.789-10",
            "email": "ana@example.com.br",
            "roles": ["atendente"],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "CPF inválido" in html and 'value="Ana Lima"' in html
    assert not User.objects.filter(username="ana.lima").exists()


def test_roles_change_and_deactivation_are_audited(gestor_client, unimed, make_staff):
    member = make_staff(unimed, "atendente", username="bia")
    gestor_client.post(f"/painel/equipe/{member.pk}/", {"roles": ["vendedor"]})
    member.refresh_from_db()
    assert member.membership.roles == {"vendedor"}
    gestor_client.post(f"/painel/equipe/{member.pk}/ativo/", {"ativo": "0"})
    member.refresh_from_db()
    assert not member.is_active
    actions = set(
        AuditEvent.objects.filter(target_id=str(member.pk)).values_list("action", flat=True)
    )
    assert {"equipe.papeis", "equipe.desativado"} <= actions
    event = AuditEvent.objects.get(action="equipe.papeis")
    assert event.actor == "gestor.0137" and event.data == {
        "antes": ["atendente"],
        "depois": ["vendedor"],
    }


def test_gestor_never_sees_or_touches_another_unimeds_staff(
    gestor_client, other_unimed, make_staff
):
    foreign = make_staff(other_unimed, "atendente", username="de.fora")
    assert "de.fora" not in gestor_client.get("/painel/equipe/").content.decode()
    assert gestor_client.get(f"/painel/equipe/{foreign.pk}/").status_code == 404
    assert (
        gestor_client.post(f"/painel/equipe/{foreign.pk}/", {"roles": ["gestor"]}).status_code
        == 404
    )
    gestor_client.post(f"/painel/equipe/{foreign.pk}/ativo/", {"ativo": "0"})
    foreign.refresh_from_db()
    assert foreign.is_active and foreign.membership.roles == {"atendente"}


def test_only_gestores_manage_the_team(client, unimed, make_staff):
    make_staff(unimed, "supervisor", "atendente", username="sup")
    client.post("/entrar/", {"username": "sup", "password": PASSWORD})
    assert client.get("/painel/equipe/").status_code == 403


def test_gestor_cannot_remove_own_gestor_role(gestor_client):
    me = User.objects.get(username="gestor.0137")
    response = gestor_client.post(f"/painel/equipe/{me.pk}/", {"roles": ["atendente"]})
    assert "próprio papel de gestor" in response.content.decode()
    me.refresh_from_db()
    assert "gestor" in me.membership.roles


def test_a_role_change_takes_effect_on_the_next_request(client, unimed, make_staff):
    from unimeds.models import RoleGrant

    user = make_staff(unimed, "gestor", username="quase.ex.gestor")
    client.post("/entrar/", {"username": "quase.ex.gestor", "password": PASSWORD})
    assert client.get("/painel/equipe/").status_code == 200  # access now cached
    RoleGrant.objects.filter(membership__user=user, role="gestor").delete()  # e.g. in the admin
    assert client.get("/painel/equipe/").status_code == 403


def test_own_account_is_not_offered_desativar_acesso(gestor_client, unimed, make_staff):
    """#18: "Desativar acesso" was offered on one's own account (the service refuses it)."""
    from django.contrib.auth import get_user_model

    me = get_user_model().objects.get(username="gestor.0137")
    body = gestor_client.get(f"/painel/equipe/{me.pk}/").content.decode()
    assert "Desativar acesso" not in body
    other = make_staff(unimed, "atendente", username="atendente.outra")
    assert "Desativar acesso" in gestor_client.get(f"/painel/equipe/{other.pk}/").content.decode()
