import pytest

from cooperados.models import Situation
from cooperados.services import cooperado_unblock
from core.errors import NotFound
from tests.factories import UserFactory, staff_user
from unimeds.actors import actor_for_user
from unimeds.models import Role


@pytest.fixture
def blocked(unimed, make_coop):
    return make_coop(
        unimed,
        login="12345SC",
        full_name="Ana Bloqueada",
        situation=Situation.BLOQUEADO,
        block_reason="falhas",
    )


def test_gestor_of_another_unimed_can_neither_see_nor_unblock(
    other_gestor_client, other_unimed, blocked
):
    assert blocked.pk
    listing = other_gestor_client.get("/painel/cooperados/", {"name": "Ana"}).content.decode()
    assert "Ana Bloqueada" not in listing
    assert other_gestor_client.get(f"/painel/cooperados/{blocked.pk}/").status_code == 404
    response = other_gestor_client.post(
        f"/painel/cooperados/{blocked.pk}/situacao/",
        {"acao": "desbloquear", "note": "tentativa", "confirm": "on"},
    )
    assert response.status_code == 404
    assert (
        other_gestor_client.post(
            f"/painel/cooperados/{blocked.pk}/senha/",
            {"password1": "Outra-senha-2026", "password2": "Outra-senha-2026", "confirm": "on"},
        ).status_code
        == 404
    )
    # a gestor cannot reach it by naming the Unimed either
    assert (
        other_gestor_client.get("/painel/cooperados/", {"unimed": "0137"})
        .content.decode()
        .count("Ana Bloqueada")
        == 0
    )
    actor = actor_for_user(staff_user(other_unimed, Role.GESTOR, username="g2"))
    with pytest.raises(NotFound):
        cooperado_unblock(actor=actor, cooperado_id=blocked.pk, note="x")
    blocked.refresh_from_db()
    assert blocked.situation == Situation.BLOQUEADO


def test_other_roles_are_refused(client, unimed, blocked):
    client.force_login(staff_user(unimed, Role.ATENDENTE, Role.SUPERVISOR, username="atendente"))
    assert client.get("/painel/cooperados/").status_code == 403
    assert client.get(f"/painel/cooperados/{blocked.pk}/").status_code == 403
    client.logout()
    assert client.get("/painel/cooperados/").status_code == 302  # sign-in first


def test_hub_admin_chooses_the_unimed(client, unimed, other_unimed, make_coop):
    make_coop(unimed, full_name="Ana de 0137")
    make_coop(other_unimed, full_name="Bia de 0025")
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    assert "Escolha a Unimed" in client.get("/painel/cooperados/").content.decode()
    body = client.get("/painel/cooperados/", {"unimed": "0025"}).content.decode()
    assert "Bia de 0025" in body and "Ana de 0137" not in body


def test_search_filters(gestor_client, unimed, make_coop):
    make_coop(
        unimed,
        full_name="José Conceição",
        login="111SC",
        cpf="52998224725",
        email_private="jose@hotmail.example.com",
    )
    make_coop(
        unimed,
        full_name="Maria Souza",
        login="222SP",
        situation=Situation.BLOQUEADO,
        profile="SECRETARIA",
    )

    def names(**params):
        body = gestor_client.get("/painel/cooperados/", params).content.decode()
        return [n for n in ("José Conceição", "Maria Souza") if n in body]

    assert names() == ["José Conceição", "Maria Souza"]
    assert names(name="conceicao") == ["José Conceição"]  # accents and case do not matter
    assert names(name="jose", login="111") == ["José Conceição"]
    assert names(name="jose", login="222") == []
    assert names(email="JOSE@HOT") == ["José Conceição"]
    assert names(cpf="529.982.247-25") == ["José Conceição"]
    assert names(situation="bloqueado") == ["Maria Souza"]
    assert names(situation="ativo") == ["José Conceição"]
    assert names(profile="SECRETARIA") == ["Maria Souza"]


def test_search_paginates(gestor_client, unimed, make_coop):
    for i in range(30):
        make_coop(unimed, full_name=f"Pessoa {i:02d}")
    first = gestor_client.get("/painel/cooperados/").content.decode()
    assert (
        "30 cooperados encontrados" in first and "Pessoa 00" in first and "Pessoa 29" not in first
    )
    second = gestor_client.get("/painel/cooperados/", {"pagina": 2}).content.decode()
    assert "Pessoa 29" in second


def test_login_email_must_be_unique_in_the_unimed(gestor_client, unimed, other_unimed, make_coop):
    make_coop(unimed, email_unimed="dono@example.com")
    make_coop(other_unimed, email_unimed="outra@example.com")
    coop = make_coop(unimed)
    form = {
        "email_unimed": "dono@example.com",
        "email_private": "",
        "login_email_source": "unimed",
        "confirmed": "True",
    }
    body = gestor_client.post(f"/painel/cooperados/{coop.pk}/", form).content.decode()
    assert "já é o e-mail de login de outro cooperado" in body
    ok = gestor_client.post(
        f"/painel/cooperados/{coop.pk}/", {**form, "email_unimed": "outra@example.com"}
    )
    assert ok.status_code == 302  # another Unimed's login e-mail does not clash
    empty = gestor_client.post(
        f"/painel/cooperados/{coop.pk}/", {**form, "login_email_source": "particular"}
    )
    assert "não pode ficar vazio" in empty.content.decode()
    invalid = gestor_client.post(
        f"/painel/cooperados/{coop.pk}/", {**form, "email_private": "nao-e-email"}
    )
    assert invalid.status_code == 400 and "válido" in invalid.content.decode()


def test_block_needs_a_reason_and_an_already_blocked_account_is_a_clear_error(
    gestor_client, blocked
):
    body = gestor_client.post(
        f"/painel/cooperados/{blocked.pk}/situacao/",
        {"acao": "desbloquear", "note": "", "confirm": "on"},
    ).content.decode()
    assert "obrigatório" in body
    gestor_client.post(
        f"/painel/cooperados/{blocked.pk}/situacao/",
        {"acao": "desbloquear", "note": "ok", "confirm": "on"},
    )
    again = gestor_client.post(
        f"/painel/cooperados/{blocked.pk}/situacao/",
        {"acao": "desbloquear", "note": "ok", "confirm": "on"},
    )
    assert again.status_code == 400 and "já está ativo" in again.content.decode()


def test_audit_screen_lists_only_own_unimed(gestor_client, other_unimed, unimed, blocked):
    gestor_client.post(
        f"/painel/cooperados/{blocked.pk}/situacao/",
        {"acao": "desbloquear", "note": "motivo X", "confirm": "on"},
    )
    body = gestor_client.get("/painel/cooperados/auditoria/").content.decode()
    assert "cooperado.desbloqueado" in body and "motivo X" in body
    filtered = gestor_client.get(
        "/painel/cooperados/auditoria/", {"acao": "cooperado.bloqueado"}
    ).content.decode()
    assert "motivo X" not in filtered
    gestor_client.force_login(staff_user(other_unimed, Role.GESTOR, username="gestor.0025"))
    assert "motivo X" not in gestor_client.get("/painel/cooperados/auditoria/").content.decode()


def test_capped_count_and_both_paging_paths_keep_alphabetical_order(
    gestor_client, gestor, unimed, make_coop, monkeypatch
):
    from cooperados import selectors

    for i in (3, 1, 4, 0, 2, 5):
        make_coop(unimed, full_name=f"Silva {i}")
    expected = [f"Silva {i}" for i in range(6)]
    for cap in (100, 3):  # all matches sorted from the probe / capped: ordered index walk
        monkeypatch.setattr(selectors.CappedPaginator, "COUNT_CAP", cap)
        qs = selectors.cooperado_search(actor=actor_for_user(gestor), name="silva")
        pages = [selectors.cooperado_page(qs, n, per_page=2) for n in (1, 2, 3)]
        names = [c.full_name for p in pages[:2] for c in p.object_list]
        assert names == expected[:4]  # both paths: the alphabetical first matches, page by page
        if cap == 100:
            assert [c.full_name for c in pages[2].object_list] == expected[4:]
        else:  # capped: pages stop at the cap ("refine the search")
            assert pages[2].number == 2
        assert pages[0].paginator.capped == (cap == 3)
    body = gestor_client.get("/painel/cooperados/", {"name": "silva"}).content.decode()
    assert "Mais de 3 cooperados encontrados" in body
