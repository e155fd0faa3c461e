"""Role × route over EVERY panel URL, found by walking the URL resolver (a new panel
route without a line in ROUTES fails here): a role without the module gets 403, on GET
and POST alike, and staff of a Unimed that is no party to the object get 404.

docs/security.md has the same table for people."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cooperados.models import A400ImportJob, BulkJob, Cooperado, LoginEmail
from intercambio.models import InboundMessage, PendingRiskSharing, RiskSharing
from leads.models import Lead, MarketReservation
from protocols.models import AnswerTemplate, Delivery, DeliveryStatus, ProtocolBulkJob, SavedFilter
from protocols.services import protocol_answer
from regulatorio.services import demand_attach, demand_register
from reports.models import ReportJob
from retencao.models import RetentionCase, RetentionRule
from tests.factories import staff_user
from unimeds.actors import actor_for_user
from unimeds.models import Municipality

pytestmark = pytest.mark.django_db

ALL = {"atendente", "supervisor", "vendedor", "gestor"}
PROTOCOLS = {"atendente", "supervisor", "gestor"}
LEADS = {"vendedor", "supervisor", "gestor"}
SUPERVISION = {"supervisor", "gestor"}
GESTOR = {"gestor"}

# url name → roles that reach it. Objects come from the `objects` fixture (owned by 0137).
ROUTES = {
    "unimeds:panel_home": ALL,
    "unimeds:team_list": GESTOR,
    "unimeds:team_invite": GESTOR,
    "unimeds:team_member": GESTOR,
    "unimeds:team_member_active": GESTOR,
    "unimeds:team_member_reinvite": GESTOR,
    "unimeds:team_member_unlock": GESTOR,
    "unimeds:team_member_otp_reset": GESTOR,
    "unimeds:otp_setup": ALL,
    "unimeds:otp_recovery_codes": ALL,
    "reports:reports": ALL,
    "reports:report_job": ALL,
    "reports:report_download": ALL,
    "reports:report_retry": ALL,
    "protocols:attachment_download": PROTOCOLS,
    "protocols:integrations": SUPERVISION,
    "protocols:inbox": PROTOCOLS,
    "protocols:new": PROTOCOLS,
    "protocols:municipalities": PROTOCOLS,
    "protocols:redeliver": PROTOCOLS,
    "protocols:detail": PROTOCOLS,
    "protocols:opened": PROTOCOLS,
    "protocols:action": PROTOCOLS,
    "protocols:bulk": PROTOCOLS,
    "protocols:bulk_job": PROTOCOLS,
    "protocols:distribution": SUPERVISION,
    "protocols:inbox_news": PROTOCOLS,
    "protocols:inbox_export": PROTOCOLS,
    "protocols:saved_filter_save": PROTOCOLS,
    "protocols:saved_filter_delete": PROTOCOLS,
    "protocols:answer_templates": SUPERVISION,
    "protocols:answer_template": SUPERVISION,
    "protocols:answer_template_delete": SUPERVISION,
    "protocols:answer_template_fill": PROTOCOLS,
    "protocols:presence": PROTOCOLS,
    "leads:list": LEADS,
    "leads:create": LEADS,
    "leads:export": LEADS,
    "leads:settings": SUPERVISION,
    "leads:dashboard": LEADS,
    "leads:detail": LEADS,
    "leads:contact": LEADS,
    "leads:stage": LEADS,
    "leads:reassign": SUPERVISION,
    "leads:reserve": LEADS,
    "leads:reservation_renew": LEADS,
    "leads:reservation_release": LEADS,
    "cooperados:list": GESTOR,
    "cooperados:detail": GESTOR,
    "cooperados:situation": GESTOR,
    "cooperados:password": GESTOR,
    "cooperados:reset_link": GESTOR,
    "cooperados:a400": GESTOR,
    "cooperados:bulk_reset": GESTOR,
    "cooperados:bulk_job": GESTOR,
    "cooperados:a400_job": GESTOR,
    "cooperados:a400_job_report": GESTOR,
    "cooperados:audit": GESTOR,
    "cooperados:export": GESTOR,
    "intercambio:list": PROTOCOLS,
    "intercambio:detail": PROTOCOLS,
    "intercambio:end": SUPERVISION,
    "intercambio:pending": PROTOCOLS,
    "intercambio:pending_decide": SUPERVISION,
    # Regulatório: the presets give atendente "operar", supervisor and gestor "administrar".
    "regulatorio:inbox": PROTOCOLS,
    "regulatorio:new": PROTOCOLS,
    "regulatorio:dashboard": PROTOCOLS,
    "regulatorio:import": PROTOCOLS,
    "regulatorio:detail": PROTOCOLS,
    "regulatorio:action": PROTOCOLS,
    "regulatorio:subsidy": PROTOCOLS,
    "regulatorio:attach": PROTOCOLS,
    "regulatorio:attachment": PROTOCOLS,
    "regulatorio:owner": PROTOCOLS,
    "retencao:queue": LEADS,
    "retencao:create": LEADS,
    "retencao:dashboard": LEADS,
    "retencao:out_of_rule": LEADS,
    "retencao:export": LEADS,
    "retencao:import": LEADS,
    "retencao:detail": LEADS,
    "retencao:contact": LEADS,
    "retencao:stage": LEADS,
    "retencao:reassign": SUPERVISION,
    "retencao:rules": SUPERVISION,
    "retencao:rule_edit": SUPERVISION,
}
# Routes whose object the stranger must not reach (404), and the kwarg naming it.
OBJECT_KWARGS = {
    "number",
    "pk",
    "delivery_id",
    "job_id",
    "user_id",
    "lead_id",
    "reservation_id",
    "cooperado_id",
    "card",
    "pending_id",
    "template_id",
    "filter_id",
    "demand_id",
    "attachment_id",
    "case_id",
    "rule_id",
}


def panel_routes():
    """(name, regex route) of every URL under painel/, from the resolver itself."""
    found = []

    def walk(resolver, prefix="", namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                route = (prefix + str(entry.pattern)).lstrip("^")
                if route.startswith("painel/"):
                    found.append((f"{namespace}:{entry.name}", entry))

    walk(get_resolver())
    return found


def test_every_panel_route_is_in_the_table():
    names = {name for name, _ in panel_routes()}
    assert names, "no panel route found"
    assert names - ROUTES.keys() == set(), (
        "new panel routes need a line in ROUTES (and docs/security.md)"
    )


@pytest.fixture
def objects(network, stranger_unimed, contingency_protocol, tmp_path):
    """One object of each kind a panel URL names, all of 0137 (or where 0137 is a party)."""
    owner = network["0137"]
    gestor = staff_user(owner, "gestor", "supervisor")
    protocol = contingency_protocol()
    event = protocol_answer(
        actor=actor_for_user(gestor),
        protocol=protocol,
        message="Laudo.",
        attachments=[SimpleUploadedFile("laudo.pdf", b"%PDF-1.4\n")],
    )
    attachment = event.attachments.get()
    delivery = Delivery.objects.create(
        protocol=protocol,
        unimed=network["0666"],
        event=event,
        operation="responderAtendimento",
        payload={},
        status=DeliveryStatus.DEAD,
    )
    member = staff_user(owner, "atendente")
    report = ReportJob.objects.create(
        requested_by=gestor, unimed=owner, report_key="protocolos", title="Protocolos"
    )
    bulk = BulkJob.objects.create(unimed=owner, reason="Teste.", requested_by_label="gestor")
    protocol_bulk = ProtocolBulkJob.objects.create(
        unimed=owner, action="nota", requested_by_label="gestor"
    )
    a400 = A400ImportJob.objects.create(
        unimed=owner, filename="a400.txt", stored_path="", requested_by_label="gestor"
    )
    city = Municipality.objects.get(code="3550308")
    lead = Lead.objects.create(
        unimed=owner,
        document_kind="cpf",
        document="52998224725",
        name="Maria",
        municipality=city,
        source="portal",
        owner=gestor,
        first_contact_due=timezone.localdate(),
    )
    reservation = MarketReservation.objects.create(
        document_kind="cpf",
        document="52998224725",
        unimed=owner,
        seller=gestor,
        lead=lead,
        expires_at=timezone.now() + timedelta(days=30),
    )
    coop = Cooperado(
        unimed=owner,
        provider_code="9001",
        full_name="Cooperado Teste",
        login="9001SP",
        crm_number="9001",
        crm_uf="SP",
        email_unimed="c@unimed.example.com.br",
        login_email_source=LoginEmail.UNIMED,
    )
    coop.sync_derived()
    coop.save()
    sharing = RiskSharing.objects.create(
        card="01370000000000006",
        holder_unimed=owner,
        attending_unimed=owner,
        sender_unimed=owner,
        sharing_type="C",
        starts_on=timezone.localdate(),
        full_name="Maria da Silva",
        birth_date=timezone.localdate() - timedelta(days=10000),
    )
    message = InboundMessage.objects.create(
        origin_unimed=network["0666"],
        control_code="1",
        fingerprint="x",
        ptu_version="010",
        generated_at=timezone.now(),
    )
    pending = PendingRiskSharing.objects.create(
        card="01370000000000014",
        holder_unimed=owner,
        attending_unimed=network["0666"],
        sender_unimed=network["0666"],
        message=message,
        sharing_type="P",
        starts_on=timezone.localdate(),
        full_name="Maria da Silva",
        birth_date=timezone.localdate() - timedelta(days=10000),
        generated_at=timezone.now(),
    )
    template = AnswerTemplate.objects.create(unimed=owner, title="Exame", body="Olá, {{nome}}.")
    saved = SavedFilter.objects.create(
        unimed=owner, owner=None, name="Abertos", query="situacao=aberto"
    )
    demand, _ = demand_register(
        actor=actor_for_user(gestor),
        kind="nip_assistencial",
        ans_number="NIP-ROTAS-1",
        notified_on=timezone.localdate(),
        card="01370000000000006",
        beneficiary_name="Maria da Silva",
    )
    reg_event = demand_attach(
        actor=actor_for_user(gestor),
        demand_id=demand.pk,
        files=[SimpleUploadedFile("peticao.pdf", b"%PDF-1.4\n")],
    )
    rule = RetentionRule.objects.create(unimed=owner, key=1, name="Regra", created_by="gestor")
    case = RetentionCase.objects.create(
        unimed=owner,
        document_kind="cpf",
        document="52998224725",
        name="Maria",
        client_type="pf",
        origin="manual",
        queue="adimplentes",
        rule=rule,
        first_contact_due=timezone.localdate(),
    )
    return {
        "template_id": template.pk,
        "filter_id": saved.pk,
        "demand_id": demand.pk,
        "attachment_id": reg_event.attachments.get().pk,
        "case_id": case.pk,
        "rule_id": rule.pk,
        "pending_id": pending.pk,
        "number": protocol.number,
        "action": "answer",
        "pk": attachment.pk,
        "delivery_id": delivery.pk,
        "user_id": member.pk,
        "lead_id": lead.pk,
        "reservation_id": reservation.pk,
        "cooperado_id": coop.pk,
        "card": sharing.card,
        "job_id": {
            "reports": report.pk,
            "cooperados": bulk.pk,
            "protocols": protocol_bulk.pk,
            "cooperados:a400_job": a400.pk,
            "cooperados:a400_job_report": a400.pk,
        },
    }


def _url(name: str, pattern: URLPattern, objects: dict) -> str:
    from django.urls import reverse

    kwargs = {}
    for key in pattern.pattern.regex.groupindex:
        value = objects[key]
        kwargs[key] = (
            value.get(name, value.get(name.split(":")[0])) if isinstance(value, dict) else value
        )
    return reverse(name, kwargs=kwargs)


def _client(client_factory, code, role):
    return client_factory(code, role)[0]


@pytest.mark.parametrize("role", sorted(ALL))
def test_a_role_without_the_module_gets_403(role, client_for, objects):
    client = _client(client_for, "0137", role)
    checked = 0
    for name, pattern in panel_routes():
        if role in ROUTES[name]:
            continue
        url = _url(name, pattern, objects)
        # A method the route does not take may answer 405 first; the other one must be 403.
        statuses = {client.get(url).status_code, client.post(url, {}).status_code}
        assert 403 in statuses and statuses <= {403, 405}, (role, url, statuses)
        # The same as an htmx partial (HX-Request): no fragment for a role without the module.
        partial = client.get(url, HTTP_HX_REQUEST="true").status_code
        assert partial in (403, 405), (role, url, "htmx", partial)
        checked += 1
    assert checked or role == "gestor"


@pytest.mark.parametrize("role", sorted(ALL))
def test_a_role_with_the_module_is_let_in(role, client_for, objects):
    client = _client(client_for, "0137", role)
    for name, pattern in panel_routes():
        if role not in ROUTES[name]:
            continue
        url = _url(name, pattern, objects)
        assert client.get(url).status_code != 403, (role, url)


def test_another_unimed_gets_404_for_every_object_route(client_for, objects):
    """0667 is no party to anything in `objects`; given every role, it still sees none of it."""
    stranger = client_for("0667", "atendente", "supervisor", "vendedor", "gestor")[0]
    checked = 0
    for name, pattern in panel_routes():
        if not set(pattern.pattern.regex.groupindex) & OBJECT_KWARGS:
            continue
        url = _url(name, pattern, objects)
        statuses = {stranger.get(url).status_code, stranger.post(url, {}).status_code}
        assert 404 in statuses and statuses <= {404, 405}, (url, statuses)
        checked += 1
    assert checked >= 20


def _repeated_ids(html: str) -> list[str]:
    import re
    from collections import Counter

    counts = Counter(re.findall(r'\sid="([^"]+)"', html))
    return sorted(name for name, n in counts.items() if n > 1)


@pytest.mark.parametrize("role", sorted(ALL))
def test_no_panel_page_repeats_an_id(role, client_for, objects):
    """A repeated id ties a label to the wrong control (issue #18: the cooperado page's
    three "confirm" boxes): every page a role reaches, rendered, has unique ids."""
    client = _client(client_for, "0137", role)
    repeated = {}
    for name, pattern in panel_routes():
        if role not in ROUTES[name]:
            continue
        response = client.get(_url(name, pattern, objects))
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            found = _repeated_ids(response.content.decode())
            if found:
                repeated[name] = found
    assert repeated == {}


# --- The per-module permission matrix (#17 item 6) -------------------------------------
def _module_of(pattern: URLPattern):
    """(module, level) a panel view declares through staff_required."""
    return getattr(pattern.callback, "gpu_module", "undeclared")


def test_every_panel_route_declares_its_module():
    undeclared = [name for name, pattern in panel_routes() if _module_of(pattern) == "undeclared"]
    assert undeclared == []


def _member_with(unimed, module: str, level: int):
    """A member with no role at all: only one module of the matrix, at `level`."""
    from tests.factories import UserFactory
    from unimeds.models import Membership, ModuleGrant

    user = UserFactory()
    membership = Membership.objects.create(user=user, unimed=unimed)
    if level:
        ModuleGrant.objects.create(membership=membership, module=module, level=level)
    return user


def test_the_matrix_alone_decides_every_panel_route(network, objects):
    """For every panel URL, whatever the roles: one level below the route's → 403 (GET and
    POST); exactly the route's level in that module alone → let in."""
    from django.test import Client

    clients = {}

    def client(module, level):
        if (module, level) not in clients:
            c = Client()
            c.force_login(_member_with(network["0137"], module, level))
            clients[module, level] = c
        return clients[module, level]

    checked = 0
    for name, pattern in panel_routes():
        module, level = _module_of(pattern)
        if module is None:
            continue
        url = _url(name, pattern, objects)
        below = client(module, level - 1)
        statuses = {below.get(url).status_code, below.post(url, {}).status_code}
        assert 403 in statuses and statuses <= {403, 405}, (name, module, level - 1, statuses)
        assert client(module, level).get(url).status_code != 403, (name, module, level)
        checked += 1
    assert checked >= 40
