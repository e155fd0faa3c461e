"""Service messages go through gettext (STYLE: everything a user reads is pt-BR through
the translation layer): no domain error is raised with a bare string or an f-string,
whose text a translation catalogue could never reach."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ERRORS = {
    "DomainError",
    "InvalidInput",
    "Forbidden",
    "NotFound",
    "Conflict",
    "InvalidTransition",
    "ServiceUnavailable",
}


def test_domain_errors_are_raised_with_translatable_messages():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "bench/")) or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ERRORS
                and node.args
                and isinstance(node.args[0], (ast.Constant, ast.JoinedStr))
            ):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == [], "wrap the message in gettext: _('…') % {…}"
