"""Demo seed, admin pages and the OpenAPI schema of the PTU endpoints."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from intercambio.demo import seed
from intercambio.models import InboundMessage, RiskSharing, RiskSharingHistory
from protocols.routing import resolve_responsible
from tests.factories import UnimedFactory, UserFactory


@pytest.fixture
def demo_network(db):
    """The four demo Unimeds (unimeds.demo's codes), without its slow staff users."""
    for code, ans in (
        ("0025", "302147"),
        ("0137", "322831"),
        ("0666", "366601"),
        ("0667", "366701"),
    ):
        UnimedFactory(code=code, ans_registry=ans)


def test_demo_seed_is_idempotent_and_routes(demo_network):
    out = StringIO()
    seed(out)
    seed(out)
    assert RiskSharing.objects.count() == 2 and InboundMessage.objects.count() == 2
    assert RiskSharingHistory.objects.count() == 2
    assert "já existia" in out.getvalue()
    unimed, reason = resolve_responsible(card="01370000000004242")
    assert unimed.code == "0025" and "repasse" in reason
    unimed, reason = resolve_responsible(card="06660000000007373")
    assert unimed.code == "0666" and "custo operacional" in reason


def test_admin_lists_sharings_and_ends_one_with_a_reason(demo_network, client):
    seed(StringIO())
    client.force_login(UserFactory(username="hubadmin", is_superuser=True, is_staff=True))
    assert client.get("/admin/intercambio/risksharing/").status_code == 200
    sharing = RiskSharing.objects.get(card="01370000000004242")
    page = client.get(f"/admin/intercambio/risksharing/{sharing.pk}/change/")
    assert page.status_code == 200 and "52998224725" not in page.content.decode()  # CPF masked
    assert client.get("/admin/intercambio/inboundmessage/").status_code == 200
    form = client.post(
        "/admin/intercambio/risksharing/",
        {"action": "end_sharing", "_selected_action": [sharing.pk]},
    )
    assert form.status_code == 200 and "Motivo" in form.content.decode()
    done = client.post(
        "/admin/intercambio/risksharing/",
        {
            "action": "end_sharing",
            "_selected_action": [sharing.pk],
            "apply": "1",
            "ends_on": "31/12/2026",
            "reason": "Contrato local cancelado.",
        },
    )
    assert done.status_code == 302
    sharing.refresh_from_db()
    assert str(sharing.ends_on) == "2026-12-31"
    assert sharing.history.last().reason == "Contrato local cancelado."


def test_schema_documents_both_fixtures_as_examples(db):
    out = StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    schema = json.loads(out.getvalue())
    post = schema["paths"]["/api/v1/ptu/compartilhamento-risco"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    assert sorted(
        e["value"]["dadosBeneficiario"]["tipoCompartilhamentoRisco"] for e in examples.values()
    ) == ["C", "P"]
    assert "/api/v1/ptu/compartilhamento-risco/habitualidade" in schema["paths"]
