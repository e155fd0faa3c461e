"""Layers without back-arrows: an import from a lower layer into a higher one fails
here (function-level imports included). core is the base; unimeds (the network) is
below protocols, leads and cooperados; protocols is the core of the domain, which the
channels (portal, gpu_api) and leads build on; retencao sits on leads and protocols."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = {
    "unimeds",
    "protocols",
    "leads",
    "cooperados",
    "intercambio",
    "portal",
    "gpu_api",
    "reports",
    "regulatorio",
    "retencao",
}
FORBIDDEN = {
    "core": DOMAIN,
    "unimeds": {"protocols", "leads", "cooperados", "portal", "gpu_api", "regulatorio", "retencao"},
    # Subsídio answers reach a demand through regulatorio's own selector, and retention
    # hears of protocols through their event hook: protocols knows neither.
    "protocols": {"leads", "portal", "cooperados", "gpu_api", "regulatorio", "retencao"},
    "cooperados": {"protocols", "leads", "portal", "gpu_api", "regulatorio", "retencao"},
    "intercambio": {"regulatorio", "retencao"},
    # Retention builds on leads (sellers, assignment, contracts); leads never knows it.
    "leads": {"regulatorio", "retencao", "portal", "gpu_api"},
    "reports": {"retencao"},
    "regulatorio": {"leads", "cooperados", "portal", "gpu_api", "retencao"},
}


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield node.lineno, [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, [node.module]


def test_no_import_against_the_layers():
    wrong = []
    for app, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, modules in _imports(path):
                for module in modules:
                    if module.split(".")[0] in forbidden:
                        wrong.append(f"{path.relative_to(ROOT)}:{line} {app} → {module}")
    assert wrong == []
