import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from core.errors import Conflict, InvalidInput
from tests.factories import UnimedFactory
from unimeds.models import Municipality, Unimed
from unimeds.selectors import unimed_for_municipality
from unimeds.services import unimed_set_area


def test_full_ibge_table_is_loaded(db):
    assert Municipality.objects.count() == 5570
    assert Municipality.objects.get(code="4205407").name == "Florianópolis"
    assert Municipality.objects.get(code="3550308").uf == "SP"
    assert Municipality.objects.values("uf").distinct().count() == 27


@pytest.mark.parametrize(
    "field, value",
    [
        ("code", "137"),
        ("code", "0000"),
        ("code", "01A7"),
        ("ans_registry", "32283"),
        ("ans_registry", "32283X"),
        ("endpoint_url", "ftp://exemplo.com"),
        ("endpoint_url", "http://exemplo.com/gpu"),
        ("hub_sequence_start", 0),
    ],
)
def test_field_validation(db, field, value):
    unimed = Unimed(code="0137", ans_registry="322831", name="Teste", uf="SP")
    setattr(unimed, field, value)
    with pytest.raises(ValidationError) as err:
        unimed.full_clean()
    assert field in err.value.message_dict


def test_https_and_loopback_http_endpoints_are_accepted(db):
    for url in (
        "https://crm.unimed.example/gpu",
        "http://127.0.0.1:8025/gpu",
        "http://localhost:9000",
    ):
        Unimed(code="0137", ans_registry="322831", name="T", uf="SP", endpoint_url=url).full_clean()


def test_integrated_unimed_needs_endpoint_and_secret(db):
    unimed = Unimed(code="0137", ans_registry="322831", name="T", uf="SP", is_integrated=True)
    with pytest.raises(ValidationError) as err:
        unimed.full_clean()
    assert "endpoint_url" in err.value.message_dict


def test_code_and_registry_are_unique(db):
    UnimedFactory(code="0137", ans_registry="322831")
    with pytest.raises(ValidationError):
        Unimed(code="0137", ans_registry="999999", name="T", uf="SP").full_clean()
    with pytest.raises(ValidationError):
        Unimed(code="0999", ans_registry="322831", name="T", uf="SP").full_clean()


def test_a_municipality_belongs_to_one_area_at_most(unimed, other_unimed):
    unimed_set_area(unimed=unimed, municipality_codes=["3550308", "3518800"])
    assert unimed_for_municipality("3550308") == unimed
    with pytest.raises(Conflict) as err:
        unimed_set_area(unimed=other_unimed, municipality_codes=["4205407", "3550308"])
    assert "3550308" in err.value.message
    assert unimed_for_municipality("4205407") is None  # nothing half-applied
    with pytest.raises(InvalidInput):
        unimed_set_area(unimed=other_unimed, municipality_codes=["9999999"])
    unimed_set_area(unimed=unimed, municipality_codes=["3518800"])
    assert unimed_for_municipality("3550308") is None


def test_seed_demo_is_idempotent_and_prints_what_it_did(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    assert Unimed.objects.filter(code__in=["0025", "0137", "0666", "0667"]).count() == 4
    # Nobody listens at a demo endpoint: every demo Unimed is contingency (its deliveries
    # would wait "Na fila" forever), and each has a secret for simulate_unimed --registrar.
    assert not Unimed.objects.filter(is_integrated=True).exists()
    assert not Unimed.objects.filter(signing_secret="").exists()
    assert len(set(Unimed.objects.values_list("ans_registry", flat=True))) == Unimed.objects.count()
    assert unimed_for_municipality("4205407").code == "0025"
    assert unimed_for_municipality("3550308").code == "0137"
    assert "atendente" in out.getvalue()


def test_service_account_command_prints_credentials(unimed):
    out = StringIO()
    call_command("service_account_create", "0137", "--name", "CRM", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"client_id", "client_secret"}
    assert unimed.service_accounts.get().application.client_id == data["client_id"]


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/gpu",
        "http://127.0.0.1:8025/gpu",
        "https://10.1.2.3/gpu",
        "https://192.168.0.10/gpu",
        "https://172.16.5.4/gpu",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/gpu",
        "https://[::ffff:10.0.0.1]/gpu",
        "https://metadata.google.internal/computeMetadata",
        "https://localhost/gpu",
        "https://0.0.0.0/gpu",
        "https://100.64.0.1/gpu",
    ],
)
def test_internal_endpoints_are_refused_unless_allowed(db, settings, url):
    """Issue #16: integration endpoints could point at 127.0.0.1, 10.x, 169.254.169.254…"""
    settings.GPU_ENDPOINT_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError) as err:
        Unimed(code="0137", ans_registry="322831", name="T", uf="SP", endpoint_url=url).full_clean()
    assert "endpoint_url" in err.value.message_dict


def test_the_allow_list_lets_tests_and_simulators_use_this_machine(db, settings):
    settings.GPU_ENDPOINT_ALLOWED_HOSTS = ["127.0.0.1"]
    Unimed(
        code="0137",
        ans_registry="322831",
        name="T",
        uf="SP",
        endpoint_url="http://127.0.0.1:8025/gpu",
    ).full_clean()
    with pytest.raises(ValidationError):
        Unimed(
            code="0137",
            ans_registry="322831",
            name="T",
            uf="SP",
            endpoint_url="http://10.0.0.1/gpu",
        ).full_clean()


def test_admin_never_shows_the_signing_secret(client, db):
    """Issue #16: the admin showed webhook signing secrets in clear."""
    from django.forms.models import model_to_dict

    from tests.factories import UserFactory
    from unimeds.admin import UnimedAdminForm

    secret = "segredo-de-assinatura-0137-abcdef"
    unimed = Unimed.objects.create(
        code="0137",
        ans_registry="322831",
        name="T",
        uf="SP",
        is_integrated=True,
        endpoint_url="http://127.0.0.1:8025/gpu",
        signing_secret=secret,
    )
    client.force_login(UserFactory(username="hubadmin", is_staff=True, is_superuser=True))
    page = client.get(f"/admin/unimeds/unimed/{unimed.pk}/change/").content.decode()
    assert "signing_secret" in page and secret not in page
    data = {k: v for k, v in model_to_dict(unimed).items() if v is not None}
    data["signing_secret"] = ""
    form = UnimedAdminForm(data=data, instance=unimed)
    assert form.is_valid(), form.errors
    assert form.save().signing_secret == secret  # empty keeps the stored one
    form = UnimedAdminForm(
        data={**data, "signing_secret": "novo-segredo-bem-longo-123"}, instance=unimed
    )
    assert form.is_valid(), form.errors
    assert form.save().signing_secret == "novo-segredo-bem-longo-123"
