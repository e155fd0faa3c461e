"""Reports through the registry: demands with deadline compliance; PERSUS items with amounts."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from regulatorio.services import demand_act, persus_import
from reports import report_request
from reports.models import ReportJob
from tests.regulatorio.services.test_persus_import import abi

pytestmark = pytest.mark.django_db


def _run(actor, key, capture):
    with capture(execute=True):
        params = {"start": "2026-01-01", "end": timezone.localdate().isoformat()}
        job = report_request(actor=actor, key=key, params=params, fmt="xlsx")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    with job.file.open("rb") as fh:
        return list(
            openpyxl.load_workbook(io.BytesIO(fh.read())).active.iter_rows(values_only=True)
        )


def test_demands_and_persus_items(network, holder, nip, django_capture_on_commit_callbacks):
    demand = nip()
    demand_act(actor=holder, demand_id=demand.pk, action="responder", message="Autorizada.")
    persus_import(actor=holder, content=abi())
    rows = _run(holder, "regulatorio_demandas", django_capture_on_commit_callbacks)
    assert rows[0][0] == "Número ANS" and len(rows) == 3
    by_number = {r[0]: r for r in rows[1:]}
    assert by_number["NIP-2027-0001"][7] == "Sim"
    assert by_number["ABI-95"][7] is None
    items = _run(holder, "regulatorio_persus", django_capture_on_commit_callbacks)
    assert len(items) == 4
    assert sum(Decimal(str(r[4])) for r in items[1:]) == Decimal("5440.65")
