from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from core.errors import InvalidInput
from core.models import AuditEvent
from leads.models import ActiveContract, Lead, LeadEventKind, LeadTeam
from leads.services import lead_intake, lead_settings_update, reservation_reserve
from tests.leads.conftest import CNPJ_ALNUM, CPF, FLORIANOPOLIS, make_cnpj
from unimeds.actors import actor_for_user
from unimeds.models import Role

SP_TZ = ZoneInfo("America/Sao_Paulo")


@pytest.mark.django_db
class TestValidation:
    @pytest.mark.parametrize(
        "document, expected",
        [
            ("12.ABC.345/01DE-35", CNPJ_ALNUM),
            ("12.abc.345/01de-35", CNPJ_ALNUM),
            ("12abc34501de35", CNPJ_ALNUM),
            ("11.222.333/0001-81", "11222333000181"),
            (" 11222333000181 ", "11222333000181"),
        ],
    )
    def test_cnpj_vectors_accepted_and_normalised(self, sellers, intake_kwargs, document, expected):
        lead, created = lead_intake(**intake_kwargs(document=document))
        assert created and lead.document == expected and lead.document_kind == "cnpj"

    @pytest.mark.parametrize(
        "document",
        [
            "12.ABC.345/01DE-34",
            "11.222.333/0001-82",
            "11.111.111/1111-11",
            "12.ABC.345/01DE-3X",
            "1234",
        ],
    )
    def test_cnpj_vectors_refused(self, sellers, intake_kwargs, document):
        with pytest.raises(InvalidInput) as exc:
            lead_intake(**intake_kwargs(document=document))
        assert "document" in exc.value.fields
        assert not Lead.objects.exists()

    def test_cpf_person_lead(self, sellers, intake_kwargs):
        lead, _ = lead_intake(
            **intake_kwargs(document="529.982.247-25", company_name="", plan_type="individual")
        )
        assert (lead.document_kind, lead.document) == ("cpf", CPF)

    def test_every_bad_field_reported_at_once(self, areas, intake_kwargs):
        with pytest.raises(InvalidInput) as exc:
            lead_intake(
                **intake_kwargs(
                    name=" ",
                    email="nao-e-email",
                    phone="123",
                    municipality_code="99",
                    lives=0,
                    plan_type="ouro",
                    age_bands=["0-17"],
                    source="fax",
                )
            )
        assert set(exc.value.fields) >= {
            "name",
            "email",
            "phone",
            "municipality_code",
            "lives",
            "plan_type",
            "age_bands",
            "source",
        }

    def test_municipality_outside_any_area(self, areas, intake_kwargs):
        with pytest.raises(InvalidInput) as exc:
            lead_intake(**intake_kwargs(municipality_code="1100015"))
        assert exc.value.fields["municipality_code"] == [
            "Nenhuma Unimed ativa atende este município."
        ]

    def test_company_needs_name_and_contact(self, areas, intake_kwargs):
        with pytest.raises(InvalidInput) as exc:
            lead_intake(**intake_kwargs(company_name="", email="", phone=""))
        assert {"company_name", "email"} <= set(exc.value.fields)

    def test_age_bands_must_add_up(self, sellers, intake_kwargs):
        bands = [{"faixa": "19-23", "vidas": 5}, {"faixa": "24-28", "vidas": 5}]
        with pytest.raises(InvalidInput, match="soma das vidas"):
            lead_intake(**intake_kwargs(lives=12, age_bands=bands))
        lead, _ = lead_intake(**intake_kwargs(lives=10, age_bands=bands))
        assert lead.age_bands == bands


@pytest.mark.django_db
def test_routed_to_the_unimed_of_the_municipality(areas, intake_kwargs, other_unimed, make_staff):
    seller = make_staff(other_unimed, Role.VENDEDOR)
    lead, _ = lead_intake(**intake_kwargs(municipality_code=FLORIANOPOLIS))
    assert lead.unimed == other_unimed and lead.owner == seller
    assert AuditEvent.objects.filter(action="lead.criado", target_id=str(lead.pk)).exists()


@pytest.mark.django_db
def test_second_demand_for_same_cnpj_adds_event_to_open_lead(sellers, intake_kwargs):
    first, created = lead_intake(
        **intake_kwargs(document="12.ABC.345/01DE-35", lives=None, current_plan="")
    )
    again, created_again = lead_intake(
        **intake_kwargs(
            document="12abc34501de35",
            name="João Outro",
            lives=30,
            current_plan="Concorrente X",
            message="Segunda vez que peço cotação.",
        )
    )
    assert created and not created_again
    assert again.pk == first.pk and Lead.objects.count() == 1
    again.refresh_from_db()
    assert again.lives == 30 and again.current_plan == "Concorrente X"  # filled what was missing
    demand = again.events.get(kind=LeadEventKind.NOVA_DEMANDA)
    assert demand.data["mensagem"] == "Segunda vez que peço cotação."
    assert demand.data["contato"] == "João Outro"
    assert again.owner == first.owner  # not redistributed


@pytest.mark.django_db
def test_closed_lead_does_not_absorb_new_demand(sellers, intake_kwargs, actor_of, supervisor):
    from leads.services import lead_mark_lost

    first, _ = lead_intake(**intake_kwargs())
    lead_mark_lost(actor=actor_of(supervisor), lead_id=first.pk, reason="Sem interesse")
    second, created = lead_intake(**intake_kwargs())
    assert created and second.pk != first.pk


@pytest.mark.django_db
def test_active_contract_flags_lead_and_keeps_it_from_sales(
    sellers, intake_kwargs, unimed, django_capture_on_commit_callbacks
):
    ActiveContract.objects.create(
        unimed=unimed,
        document_kind="cnpj",
        document=CNPJ_ALNUM,
        contract_number="C-77",
        active=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        lead, _ = lead_intake(**intake_kwargs(document="12.ABC.345/01DE-35"))
    assert lead.is_existing_client and lead.team == LeadTeam.RELACIONAMENTO
    assert lead.owner is None
    assert not lead.events.filter(kind=LeadEventKind.ATRIBUIDO).exists()
    assert "C-77" in lead.events.get(kind=LeadEventKind.JA_E_CLIENTE).note
    # Sellers do not see it; the supervisor's relationship queue does.
    from leads.selectors import lead_list

    for seller in sellers:
        assert not lead_list(actor=actor_for_user(seller)).filter(pk=lead.pk).exists()
    assert mail.outbox == []  # no seller was told about it


@pytest.mark.django_db
def test_inactive_contract_does_not_flag(sellers, intake_kwargs, unimed):
    ActiveContract.objects.create(
        unimed=unimed,
        document_kind="cnpj",
        document="11222333000181",
        contract_number="C-1",
        active=False,
    )
    lead, _ = lead_intake(**intake_kwargs())
    assert not lead.is_existing_client and lead.owner is not None


@pytest.mark.django_db
def test_round_robin_with_frozen_clock(sellers, intake_kwargs, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(datetime(2026, 11, 13, 10, 0, tzinfo=SP_TZ), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        leads = [lead_intake(**intake_kwargs(document=make_cnpj(n)))[0] for n in range(1, 8)]
    owners = [lead.owner.username for lead in leads]
    names = [s.username for s in sorted(sellers, key=lambda s: s.pk)]
    assert owners == (names * 3)[:7]
    # Friday + 2 business days (15/11 is Sunday) → Tuesday 17/11.
    assert {lead.first_contact_due for lead in leads} == {date(2026, 11, 17)}
    assert all(lead.created_at == datetime(2026, 11, 13, 10, 0, tzinfo=SP_TZ) for lead in leads)
    assert [m.to for m in mail.outbox] == [[f"{name}@example.com.br"] for name in owners]
    assert "Primeiro contato até 17/11/2026" in mail.outbox[0].body


@pytest.mark.django_db
def test_first_contact_deadline_skips_national_holiday(sellers, intake_kwargs):
    with time_machine.travel(datetime(2026, 11, 19, 18, 0, tzinfo=SP_TZ), tick=False):
        lead, _ = lead_intake(**intake_kwargs())
    assert lead.first_contact_due == date(2026, 11, 24)  # 20/11 Consciência Negra


@pytest.mark.django_db
def test_fewest_open_rule_chosen_by_gestor(sellers, intake_kwargs, gestor):
    lead_settings_update(actor=actor_for_user(gestor), assignment_rule="fewest_open")
    first = sorted(sellers, key=lambda s: s.pk)[0]
    for n in range(1, 3):  # the first seller already carries two open leads
        Lead.objects.create(
            unimed=first.membership.unimed,
            document_kind="cnpj",
            document=make_cnpj(100 + n),
            name="x",
            municipality_id="3550308",
            source="vendedor",
            owner=first,
            first_contact_due=date(2030, 1, 1),
        )
    owners = [lead_intake(**intake_kwargs(document=make_cnpj(n)))[0].owner for n in range(1, 5)]
    counts = {
        s.pk: Lead.objects.filter(owner=s).exclude(status__in=["ganho", "perdido"]).count()
        for s in sellers
    }
    assert first not in owners[:2]
    assert sorted(counts.values()) == [2, 2, 2]


@pytest.mark.django_db
def test_no_seller_leaves_lead_in_queue(areas, intake_kwargs):
    lead, _ = lead_intake(**intake_kwargs())
    assert lead.owner is None
    assert lead.events.filter(kind=LeadEventKind.SEM_VENDEDOR).exists()


@pytest.mark.django_db
def test_prospecting_seller_keeps_own_lead(sellers, intake_kwargs):
    seller = sellers[2]
    lead, _ = lead_intake(**intake_kwargs(actor=actor_for_user(seller), source="vendedor"))
    assert lead.owner == seller


@pytest.mark.django_db
def test_reservation_holder_gets_the_lead(sellers, intake_kwargs):
    holder = sellers[1]
    reservation = reservation_reserve(actor=actor_for_user(holder), document="11222333000181")
    lead, _ = lead_intake(**intake_kwargs())
    reservation.refresh_from_db()
    assert lead.owner == holder and reservation.lead == lead


@pytest.mark.django_db
def test_reservation_of_another_unimed_suspends_distribution(
    sellers, intake_kwargs, other_unimed, make_staff
):
    rival = make_staff(other_unimed, Role.VENDEDOR)
    reservation_reserve(actor=actor_for_user(rival), document="11222333000181")
    lead, _ = lead_intake(**intake_kwargs())
    assert lead.owner is None
    event = lead.events.get(kind=LeadEventKind.RESERVA)
    assert "Unimed 0025" in event.note and rival.username not in event.note
