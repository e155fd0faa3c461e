# ruff: noqa: F811 - pytest fixtures imported from tests/protocols/conftest.py
"""Protocol reports through the report jobs: list with on-time flag, compliance per
month and type, the monthly e-mail, tenant scoping."""

import csv
import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone

from protocols.models import Protocol
from protocols.services import protocol_answer, protocol_cancel
from reports import report_request
from reports.build import report_monthly_dispatch
from reports.models import ReportJob
from tests.factories import staff_user
from tests.protocols.conftest import network, open_protocol, portal, staff_actor  # noqa: F401
from unimeds.actors import actor_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def protocols(network, open_protocol, staff_actor):  # noqa: F811
    """Four protocols of 0137: answered on time, answered late, open overdue, cancelled."""
    atendente = staff_actor("0137", "atendente")
    on_time, late, overdue, cancelled = (open_protocol() for _ in range(4))
    protocol_answer(actor=atendente, protocol=on_time, message="Autorizado.")
    protocol_answer(actor=atendente, protocol=late, message="Autorizado com atraso.")
    # Move deadlines into the past so the outcomes differ (today's clock is real).
    past = timezone.localdate() - timedelta(days=3)
    Protocol.objects.filter(pk=late.pk).update(due_date=past)
    Protocol.objects.filter(pk=overdue.pk).update(due_date=past)
    protocol_cancel(actor=atendente, protocol=cancelled, reason="Duplicado.")
    return {"on_time": on_time, "late": late, "overdue": overdue, "cancelled": cancelled}


def _run(user, key, capture, params=None, fmt="xlsx"):
    with capture(execute=True):
        job = report_request(actor=actor_for_user(user), key=key, params=params or {}, fmt=fmt)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    with job.file.open("rb") as fh:
        return job, openpyxl.load_workbook(io.BytesIO(fh.read())).active


def test_protocol_list_has_deadline_and_on_time_flag(
    protocols, network, django_capture_on_commit_callbacks
):
    supervisor = staff_user(network["0137"], "supervisor")
    job, ws = _run(supervisor, "protocolos", django_capture_on_commit_callbacks)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Número" and rows[0][-1] == "No prazo"
    assert job.rows_written == 4 and len(rows) == 5
    by_number = {r[0]: r for r in rows[1:]}
    assert by_number[protocols["on_time"].number][13] == "Sim"
    assert by_number[protocols["late"].number][13] == "Não"
    assert by_number[protocols["overdue"].number][13] == "Não"
    assert by_number[protocols["cancelled"].number][13] is None
    first = by_number[protocols["on_time"].number]
    assert (
        first[2] == "Respondido" and first[8] == "***.982.247-**"
    )  # masked for every role by default
    assert isinstance(first[1], datetime) and isinstance(first[11], datetime)  # Excel dates
    assert first[11].date() == protocols["on_time"].due_date
    assert first[9] == "Portal"  # #18: opened through the portal, no origin Unimed


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_protocol_list_cells_are_typed_in_sao_paulo_time(
    protocols, network, fmt, django_capture_on_commit_callbacks
):
    """The same cells whichever database prepares them (PostgreSQL converts the
    time zone and the on-time flag in SQL; SQLite leaves them to Python)."""
    supervisor = staff_user(network["0137"], "supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(actor=actor_for_user(supervisor), key="protocolos", params={}, fmt=fmt)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    with job.file.open("rb") as fh:
        raw = fh.read()
    flags = {"on_time": True, "late": False, "overdue": False, "cancelled": None}
    if fmt == "csv":
        lines = {
            line[0]: line
            for line in csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")
        }
        for name, flag in flags.items():
            protocol = Protocol.objects.get(pk=protocols[name].pk)
            line = lines[protocol.number]
            assert line[1] == _local(protocol.opened_at).strftime("%d/%m/%Y %H:%M:%S")
            assert line[11] == protocol.due_date.strftime("%d/%m/%Y")
            assert line[12] == (
                _local(protocol.answered_at).strftime("%d/%m/%Y %H:%M:%S")
                if protocol.answered_at
                else ""
            )
            assert line[13] == {True: "Sim", False: "Não", None: ""}[flag]
        return
    ws = openpyxl.load_workbook(io.BytesIO(raw)).active
    rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    for name, flag in flags.items():
        protocol = Protocol.objects.get(pk=protocols[name].pk)
        cells = rows[protocol.number]
        assert cells[1].value == _local(protocol.opened_at)  # naive São Paulo time, not UTC
        assert cells[1].is_date and cells[1].number_format == "dd/mm/yyyy hh:mm:ss"
        assert cells[11].value == datetime.combine(protocol.due_date, datetime.min.time())
        assert cells[11].is_date and cells[11].number_format == "dd/mm/yyyy"
        assert cells[12].value == _local(protocol.answered_at)
        assert cells[12].value is None or cells[12].is_date
        assert cells[13].value == {True: "Sim", False: "Não", None: None}[flag]
        assert cells[8].value == "***.982.247-**" and cells[8].data_type == "s"
        assert cells[10].value == "0137" and cells[10].data_type == "s"  # codes stay text


def test_protocol_list_filters_and_other_unimeds_see_nothing(
    protocols, network, django_capture_on_commit_callbacks
):
    gestor = staff_user(network["0137"], "gestor")
    job, _ws = _run(
        gestor, "protocolos", django_capture_on_commit_callbacks, params={"status": "cancelado"}
    )
    assert job.rows_written == 1
    outsider = staff_user(network["0025"], "gestor")
    job, ws = _run(outsider, "protocolos", django_capture_on_commit_callbacks)
    assert job.rows_written == 0 and ws.max_row == 1


def test_compliance_per_month_and_type(protocols, network, django_capture_on_commit_callbacks):
    gestor = staff_user(network["0137"], "gestor")
    job, ws = _run(gestor, "protocolos_prazos", django_capture_on_commit_callbacks)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Mês",
        "Tipo de manifestação",
        "Recebidos",
        "Respondidos no prazo",
        "Respondidos com atraso",
        "Abertos vencidos",
    )
    assert len(rows) == 2
    month, type_name, received, on_time, late, overdue, open_on_time, cancelled, rate = rows[1]
    today = timezone.localdate()
    assert month == datetime(today.year, today.month, 1)
    assert type_name == protocols["on_time"].manifestation_type.name
    assert (received, on_time, late, overdue, open_on_time, cancelled) == (4, 1, 1, 1, 0, 1)
    # #18: "% no prazo" in a percent format, "Mês" as month/year.
    assert rate == pytest.approx(0.333)
    cells = list(ws.iter_rows(min_row=2, max_row=2))[0]
    assert cells[8].number_format == "0.0%" and cells[0].number_format == "mm/yyyy"


def test_compliance_is_for_supervisors_and_gestores(network):
    atendente = staff_user(network["0137"], "atendente")
    from core.errors import Forbidden

    with pytest.raises(Forbidden):
        report_request(actor=actor_for_user(atendente), key="protocolos_prazos", params={})


def test_monthly_compliance_is_mailed_to_the_gestor(
    protocols, network, django_capture_on_commit_callbacks
):
    staff_user(network["0137"], "gestor", username="gestor.0137", email="gestor@0137.example")
    today = timezone.localdate()
    next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    with django_capture_on_commit_callbacks(execute=True):
        jobs = report_monthly_dispatch(today=next_month)
    job = next(j for j in jobs if j.report_key == "protocolos_prazos")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.rows_written == 1
    assert job.params == {
        "start": today.replace(day=1).isoformat(),
        "end": (next_month - timedelta(days=1)).isoformat(),
    }
    sent = [m for m in mail.outbox if "Cumprimento de prazos" in m.subject]
    assert len(sent) == 1 and sent[0].to == ["gestor@0137.example"] and not sent[0].attachments
    assert f"/painel/relatorios/{job.pk}/baixar/" in sent[0].body
    assert date.fromisoformat(job.params["start"]).day == 1


def test_deliveries_report_lists_failures_of_the_unimed_only(
    network, open_protocol, django_capture_on_commit_callbacks
):
    from protocols.models import Delivery, DeliveryStatus

    def common():
        opened = open_protocol()
        return {
            "protocol": opened,
            "event": opened.events.first(),
            "operation": "solicitarProtocolo",
            "payload": {},
        }

    dead_one = common()
    protocol = dead_one["protocol"]
    Delivery.objects.create(
        unimed=network["0137"],
        sender_unimed=network["0025"],
        status=DeliveryStatus.DEAD,
        attempts=10,
        last_http_status=500,
        last_error="HTTP 500 do receptor",
        **dead_one,
    )
    Delivery.objects.create(
        unimed=network["0137"],
        sender_unimed=network["0025"],
        status=DeliveryStatus.DELIVERED,
        attempts=1,
        last_http_status=200,
        **common(),
    )
    Delivery.objects.create(
        unimed=network["0666"],
        sender_unimed=network["0666"],
        status=DeliveryStatus.DEAD,
        **common(),
    )  # neither to nor from 0137
    supervisor = staff_user(network["0137"], "supervisor")
    job, ws = _run(supervisor, "entregas", django_capture_on_commit_callbacks)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("Criada em", "Protocolo") and job.rows_written == 2
    dead = next(r for r in rows[1:] if r[5] == "Falhou (esgotou as tentativas)")
    assert (
        dead[1] == protocol.number
        and dead[6] == 10
        and dead[7] == 500
        and dead[8] == "HTTP 500 do receptor"
    )
    assert isinstance(dead[0], datetime)
    _, only_dead = _run(
        supervisor, "entregas", django_capture_on_commit_callbacks, params={"status": "dead"}
    )
    assert only_dead.max_row == 2


def test_deliveries_report_is_for_supervisors(network):
    from core.errors import DomainError

    atendente = staff_user(network["0137"], "atendente")
    with pytest.raises(DomainError):
        report_request(actor=actor_for_user(atendente), key="entregas", params={})


def test_full_cpf_export_only_for_a_gestor_stating_a_purpose(
    protocols, network, django_capture_on_commit_callbacks
):
    """Issue #16: the supervisor got every CPF in full. Now masked by default; a gestor may
    ask for them in full, saying why, and it is audited."""
    from core.errors import Forbidden, InvalidInput
    from core.models import AuditEvent

    supervisor = staff_user(network["0137"], "supervisor")
    with pytest.raises(Forbidden):
        report_request(
            actor=actor_for_user(supervisor),
            key="protocolos",
            params={},
            full_cpf=True,
            purpose="Auditoria interna da ANS",
        )
    gestor = staff_user(network["0137"], "gestor")
    with pytest.raises(InvalidInput):
        report_request(
            actor=actor_for_user(gestor), key="protocolos", params={}, full_cpf=True, purpose=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(
            actor=actor_for_user(gestor),
            key="protocolos",
            params={},
            full_cpf=True,
            purpose="Resposta a ofício da ANS nº 123",
        )
    job.refresh_from_db()
    with job.file.open("rb") as fh:
        ws = openpyxl.load_workbook(io.BytesIO(fh.read())).active
    assert {row[8] for row in ws.iter_rows(min_row=2, values_only=True)} == {"529.982.247-25"}
    audit = AuditEvent.objects.get(action="relatorio.solicitado", target_id=str(job.pk))
    assert (
        audit.data["cpf_completo"] is True
        and audit.data["finalidade"] == "Resposta a ofício da ANS nº 123"
    )
    _job, ws = _run(gestor, "protocolos", django_capture_on_commit_callbacks)
    assert {row[8] for row in ws.iter_rows(min_row=2, values_only=True)} == {"***.982.247-**"}


def test_full_cpf_cannot_be_posted_as_a_parameter(
    protocols, network, client, django_capture_on_commit_callbacks
):
    supervisor = staff_user(network["0137"], "supervisor")
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/painel/relatorios/",
            {
                "report": "protocolos",
                "protocolos-fmt": "xlsx",
                "protocolos-_cpf_completo": "on",
                "_cpf_completo": "on",
                "protocolos-cpf_completo": "on",
                "protocolos-finalidade": "Quero ver os CPFs todos",
            },
        )
    job = ReportJob.objects.get()
    with job.file.open("rb") as fh:
        ws = openpyxl.load_workbook(io.BytesIO(fh.read())).active
    assert {row[8] for row in ws.iter_rows(min_row=2, values_only=True)} == {"***.982.247-**"}
