"""The panel on a phone (Chromium at 390×844): what a person must reach is on screen
and no page scrolls sideways — the reports' Baixar button, every column of the
cooperados list (rows become cards, .table-stack in static/css/gpu.css) and the
inbox's Vencidos tab (the tabs wrap)."""

from datetime import date

import pytest

from reports import report_request
from reports.models import ReportJob
from tests.cooperados.conftest import make_coop  # noqa: F401 — fixture
from tests.factories import PASSWORD
from tests.protocols.conftest import beneficiary_data, network  # noqa: F401 — fixtures
from unimeds.actors import actor_for_user

PHONE = {"width": 390, "height": 844}


def right_edge(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "invisível"
    return box["x"] + box["width"]


def assert_no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


@pytest.fixture
def gestor(network, make_staff, make_coop):  # noqa: F811
    from protocols.services import protocol_open
    from unimeds.actors import portal_actor

    user = make_staff(network["0137"], "gestor", username="gestor.0137")
    for n in range(3):
        make_coop(
            network["0137"],
            full_name=f"Maria Aparecida dos Santos Cooperada {n}",
            email_unimed=f"maria.aparecida.santos.{n}@unimed-exemplo.example.com.br",
            cpf="52998224725",
        )
    protocol_open(actor=portal_actor(), **beneficiary_data())
    job = report_request(
        actor=actor_for_user(user),
        key="auditoria",
        params={"start": date(2026, 1, 1), "end": date.today()},
    )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    return user


def test_reports_cooperados_and_inbox_fit_a_phone(
    live_server, browser_context, sign_in, screenshot, gestor
):
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, "gestor.0137", PASSWORD)

    page.goto(f"{live_server.url}/painel/relatorios/")
    download = page.get_by_role("link", name="Baixar")
    assert right_edge(download) <= PHONE["width"]
    assert_no_sideways_scroll(page)
    screenshot(page, "celular-relatorios")

    page.goto(f"{live_server.url}/painel/cooperados/")
    cells = page.locator("table tbody tr td")
    assert cells.count() >= 3 * 8
    for i in range(cells.count()):
        cell = cells.nth(i)
        if cell.is_visible():
            assert right_edge(cell) <= PHONE["width"], cell.inner_text()
    first = page.locator("table tbody tr").first
    for text in ("Maria Aparecida dos Santos Cooperada 0", "Prestador", "529.982.247-25"):
        assert text in first.inner_text()
    assert_no_sideways_scroll(page)
    screenshot(page, "celular-cooperados")

    page.goto(f"{live_server.url}/painel/protocolos/")
    overdue = page.get_by_role("link", name="Vencidos", exact=True)
    assert right_edge(overdue) <= PHONE["width"]
    assert_no_sideways_scroll(page)
    screenshot(page, "celular-protocolos")
