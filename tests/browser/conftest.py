"""Browser tests: Playwright driving Debian's Chromium (headless) against a live server.

They need /usr/bin/chromium: without it they skip, unless GPU_REQUIRE_SERVICES=1 or
GPU_BROWSER_TESTS=1, where a missing browser is a failure. Screenshots go to
docs/screenshots/ when GPU_SCREENSHOTS=1.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if settings.GPU_REQUIRE_SERVICES or os.environ.get("GPU_BROWSER_TESTS") == "1":
            pytest.fail(
                "Chromium (/usr/bin/chromium) é obrigatório para os testes de navegador",
                pytrace=False,
            )
        pytest.skip("Chromium não instalado (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # as the contexts' default: CI machines are shared

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_context(_browser):
    """A fresh context (cookies, storage) per test; 1366×768 like a staff laptop."""
    context = _browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="pt-BR", timezone_id="America/Sao_Paulo"
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves docs/screenshots/name.png when GPU_SCREENSHOTS=1."""

    def take(page, name: str) -> None:
        if os.environ.get("GPU_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, username, password) through the real /entrar/ form."""

    def do(page, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/entrar/")
        page.get_by_label("Usuário").fill(username)
        page.get_by_label("Senha").fill(password)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url(f"{live_server.url}/painel/**")

    return do
