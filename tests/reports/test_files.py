"""Report files: typed xlsx cells, masking, CSV for Excel pt-BR, progress."""

import csv
import io
from dataclasses import replace
from datetime import datetime

import openpyxl
import pytest
from django.utils import timezone

from reports import register, report_request, unregister
from reports.build import report_job_build
from reports.models import ReportJob
from tests.factories import staff_user
from tests.reports.support import STATE, TEAM_REPORT
from unimeds.actors import actor_for_user
from unimeds.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def team_report():
    register(TEAM_REPORT)
    STATE.update(fail_at=None, exception=None, on_row=None)
    yield TEAM_REPORT
    unregister(TEAM_REPORT.key)
    STATE.update(fail_at=None, exception=None, on_row=None)


@pytest.fixture
def team(unimed):
    gestor = staff_user(unimed, "gestor", username="gestora")
    Membership.objects.filter(user=gestor).update(cpf="52998224725")
    seller = staff_user(unimed, "vendedor", username="vendedor")
    Membership.objects.filter(user=seller).update(cpf="39053344705")
    staff_user(unimed, "atendente", username="zeca")
    return gestor, seller


def _build(user, fmt="xlsx", params=None, capture=None):
    with capture(execute=True):
        job = report_request(
            actor=actor_for_user(user), key="teste_equipe", params=params or {}, fmt=fmt
        )
    job.refresh_from_db()
    return job


def _open_xlsx(job):
    with job.file.open("rb") as fh:
        return openpyxl.load_workbook(io.BytesIO(fh.read()))


def test_xlsx_headers_rows_types_and_full_cpf_for_gestor(team, django_capture_on_commit_callbacks):
    gestor, _seller = team
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(
            actor=actor_for_user(gestor),
            key="teste_equipe",
            params={},
            fmt="xlsx",
            full_cpf=True,
            purpose="Conferência do cadastro da equipe",
        )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.rows_written == 3 and job.rows_estimate == 3 and job.file_size > 0

    wb = _open_xlsx(job)
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(c.header for c in TEAM_REPORT.columns)
    assert len(rows) == 1 + 3
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H4"
    assert ws.column_dimensions["A"].width == 20

    by_user = {r[0]: r for r in rows[1:]}
    row = by_user["gestora"]
    assert row[1] == "529.982.247-25"  # the gestor asked for full CPFs, with a purpose
    created = Membership.objects.get(user=gestor).created_at
    local = timezone.localtime(created).replace(tzinfo=None, microsecond=0)
    assert row[2] == local  # naive São Paulo time, not UTC
    assert isinstance(row[3], int)
    assert row[4] == pytest.approx(1234.5) and isinstance(row[4], float)
    assert row[5] == datetime(2026, 11, 23)
    assert row[6] == "Sim"
    assert row[7] is None
    cells = {c.column_letter: c for c in ws[2]}
    assert cells["C"].is_date and cells["C"].number_format == "dd/mm/yyyy hh:mm:ss"
    assert cells["F"].is_date and cells["F"].number_format == "dd/mm/yyyy"
    assert cells["E"].data_type == "n" and cells["E"].number_format == "#,##0.00"
    assert cells["D"].data_type == "n"


def test_xlsx_masks_cpf_for_a_role_that_may_not_see_it(team, django_capture_on_commit_callbacks):
    _gestor, seller = team
    job = _build(seller, capture=django_capture_on_commit_callbacks)
    ws = _open_xlsx(job).active
    cpfs = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert cpfs == {"gestora": "***.982.247-**", "vendedor": "***.533.447-**", "zeca": None}


def test_formula_like_text_stays_text_and_control_characters_are_dropped(
    team, django_capture_on_commit_callbacks
):
    gestor, _ = team

    def evil(actor, params):
        for row in TEAM_REPORT.rows(actor, params):
            yield (*row[:7], '=HYPERLINK("http://x")\x07')

    unregister(TEAM_REPORT.key)
    register(replace(TEAM_REPORT, rows=evil))
    job = _build(gestor, capture=django_capture_on_commit_callbacks)
    assert job.status == ReportJob.Status.DONE, job.error
    cell = _open_xlsx(job).active["H2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'

    csv_job = _build(gestor, fmt="csv", capture=django_capture_on_commit_callbacks)
    text = csv_job.file.open("rb").read().decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_csv_for_excel_pt_br(team, django_capture_on_commit_callbacks):
    gestor, _ = team
    job = _build(gestor, fmt="csv", capture=django_capture_on_commit_callbacks)
    assert job.status == ReportJob.Status.DONE, job.error
    raw = job.file.open("rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Usuário" and len(rows) == 4
    line = next(r for r in rows if r[0] == "gestora")
    assert line[1] == "***.982.247-**"  # masked by default, the gestor's own export too
    created = timezone.localtime(Membership.objects.get(user=gestor).created_at)
    assert line[2] == created.strftime("%d/%m/%Y %H:%M:%S")
    assert line[4] == "1234,50" and line[5] == "23/11/2026" and line[6] == "Sim"


def test_progress_is_saved_while_rows_stream(team, settings, django_capture_on_commit_callbacks):
    gestor, _ = team
    settings.GPU_REPORT_PROGRESS_EVERY = 1
    seen = []

    def watch(index):
        job = ReportJob.objects.get()
        seen.append(
            (index, job.status, job.rows_written, job.rows_estimate, job.heartbeat_at is not None)
        )

    STATE["on_row"] = watch
    job = _build(gestor, capture=django_capture_on_commit_callbacks)
    assert job.status == ReportJob.Status.DONE
    # Before row N is produced, the N-1 rows already written are in the database.
    assert seen == [
        (1, "running", 0, 3, True),
        (2, "running", 1, 3, True),
        (3, "running", 2, 3, True),
    ]


def test_build_ignores_a_job_that_is_not_queued(team, django_capture_on_commit_callbacks):
    gestor, _ = team
    job = _build(gestor, capture=django_capture_on_commit_callbacks)
    assert report_job_build(job_id=job.pk) is None  # a duplicate message changes nothing
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.attempts == 1
    assert report_job_build(job_id=999999) is None


def test_xlsx_writes_every_kind_and_awkward_values_as_typed_cells(
    unimed, django_capture_on_commit_callbacks
):
    from datetime import UTC, date
    from decimal import Decimal

    from django.utils.translation import gettext_lazy

    from reports import Column, ReportDefinition

    columns = (
        Column("Texto", "text", 30),
        Column("Inteiro", "int"),
        Column("Valor", "decimal"),
        Column("Dia", "date"),
        Column("Momento", "datetime"),
        Column("Ativo", "bool"),
        Column("Livre", "text"),
    )
    moment = datetime(2026, 3, 1, 15, 30, 15, 999_999, tzinfo=UTC)  # 12:30:15 in São Paulo
    values = [
        ('a & <b> "c"', 7, Decimal("1234.50"), date(2026, 11, 23), moment, True, None),
        ("  espaços  ", -3, 2.5, moment, datetime(2026, 7, 1, 8, 0), False, 42),
        (
            "=SOMA(A1)\x07",
            12,
            Decimal("0.10"),
            date(1900, 1, 15),
            date(2026, 5, 5),
            None,
            gettext_lazy("Aberto"),
        ),
        ("", None, float("nan"), None, None, None, moment),
        ("#N/D\tlinha\nnova", 0, 0, None, None, True, date(2026, 1, 2)),
        ("x" * 40_000, None, None, None, None, False, True),
    ]
    report = ReportDefinition(
        key="teste_tipos",
        title="Tipos [teste]",
        columns=columns,
        rows=lambda actor, params: iter(values),
        estimate=lambda actor, params: len(values),
        allowed=lambda actor: True,
    )
    register(report)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = report_request(
                actor=actor_for_user(staff_user(unimed, "gestor")), key="teste_tipos", params={}
            )
        job.refresh_from_db()
        assert job.status == ReportJob.Status.DONE, job.error
        wb = _open_xlsx(job)
    finally:
        unregister(report.key)
    ws = wb.active
    assert ws.title == "Tipos -teste-" and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G7"
    header = ws[1]
    assert [c.value for c in header] == [c.header for c in columns]
    assert all(
        c.font.b and c.fill.fgColor.rgb == "0000995D" and c.alignment.wrap_text for c in header
    )
    rows = [list(row) for row in ws.iter_rows(min_row=2)]
    local = datetime(2026, 3, 1, 12, 30, 15)
    assert [c.value for c in rows[0]] == [
        'a & <b> "c"',
        7,
        1234.5,
        datetime(2026, 11, 23),
        local,
        "Sim",
        None,
    ]
    assert [c.value for c in rows[1]] == [
        "  espaços  ",
        -3,
        2.5,
        datetime(2026, 3, 1),
        datetime(2026, 7, 1, 8),
        "Não",
        42,
    ]
    assert [c.value for c in rows[2]] == [
        "=SOMA(A1)",
        12,
        0.1,
        datetime(1900, 1, 15),
        datetime(2026, 5, 5),
        None,
        "Aberto",
    ]
    assert [c.value for c in rows[3]] == [None, None, None, None, None, None, local]
    assert [c.value for c in rows[4]] == [
        "#N/D\tlinha\nnova",
        0,
        0,
        None,
        None,
        "Sim",
        datetime(2026, 1, 2),
    ]
    assert rows[5][0].value == "x" * 32_767 and rows[5][6].value is True  # Excel's cell limit
    assert (
        rows[2][0].data_type == "s" and rows[4][0].data_type == "s"
    )  # never a formula or an error code
    assert [rows[0][i].data_type for i in range(6)] == ["s", "n", "n", "d", "d", "s"]
    assert rows[0][2].number_format == "#,##0.00" and rows[0][1].number_format == "General"
    assert (
        rows[0][3].number_format == "dd/mm/yyyy"
        and rows[0][4].number_format == "dd/mm/yyyy hh:mm:ss"
    )
    assert (
        rows[3][6].number_format == "dd/mm/yyyy hh:mm:ss"
        and rows[4][6].number_format == "dd/mm/yyyy"
    )
    assert rows[5][6].data_type == "b"


def test_xlsx_drops_characters_xml_cannot_hold():
    """U+FFFE/U+FFFF and lone surrogates are valid Python (U+FFFE even valid UTF-8 in
    PostgreSQL) but not XML 1.0: left in, the sheet is not well-formed (LibreOffice
    silently stops reading there, losing later rows and every style) or, for a
    surrogate, cannot be encoded at all."""
    from reports import Column
    from reports.writers import write_xlsx

    columns = (Column("Texto\ufffe", "text"), Column("N", "int"))
    rows = [("antes", 1), ("a\ufffeb\uffffc\ud800d\udfffe\x07f", 2), ("depois", 3)]
    out = io.BytesIO()
    assert write_xlsx(out, title="Caracteres", columns=columns, rows=iter(rows)) == 3
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active  # a parser error if not XML
    assert list(ws.iter_rows(values_only=True)) == [
        ("Texto", "N"),
        ("antes", 1),
        ("abcdef", 2),
        ("depois", 3),
    ]
    assert ws["B4"].value == 3 and ws.auto_filter.ref == "A1:B4"
