"""Every status change goes through its machine's one transition function, which checks
the table beside the status choices: no other code assigns `.status` / `.situation` or
writes them with `QuerySet.update()` (found here by reading the source)."""

import ast
from pathlib import Path

import pytest

from cooperados.models import A400_JOB_TRANSITIONS, BULK_JOB_TRANSITIONS, SITUATION_TRANSITIONS
from core.models import EMAIL_TRANSITIONS
from intercambio.models import PendingRiskSharing
from leads.models import LEAD_TRANSITIONS, RESERVATION_TRANSITIONS
from protocols.models import DELIVERY_TRANSITIONS, TRANSITIONS
from reports.models import REPORT_JOB_TRANSITIONS

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {"status", "situation"}
# (file, function): the one place each machine changes its state.
TRANSITION_FUNCTIONS = {
    ("protocols/services/lifecycle.py", "_transition"),
    ("protocols/outbox/services.py", "delivery_transition"),
    ("leads/services/pipeline.py", "_transition"),
    ("leads/services/reservations.py", "reservation_transition"),
    ("reports/services.py", "report_job_transition"),
    ("cooperados/services/bulk.py", "_move"),
    ("core/jobs.py", "job_move"),
    ("cooperados/services/a400_jobs.py", "_move"),
    ("cooperados/services/accounts.py", "apply_situation"),
    ("core/mail.py", "_move"),
    ("intercambio/services.py", "pending_transition"),
}


def _changes(path: Path):
    """(line, enclosing function) of every write to a status field in the file."""
    found = []

    class Visitor(ast.NodeVisitor):
        def __init__(self):
            self.stack = []

        def visit_FunctionDef(self, node):
            self.stack.append(node.name)
            self.generic_visit(node)
            self.stack.pop()

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Assign(self, node):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in FIELDS:
                    found.append((node.lineno, self.stack[-1] if self.stack else ""))
            self.generic_visit(node)

        def visit_Call(self, node):
            if (
                isinstance(node.func, ast.Attribute)
                and node.func.attr == "update"
                and any(k.arg in FIELDS for k in node.keywords)
            ):
                found.append((node.lineno, self.stack[-1] if self.stack else ""))
            self.generic_visit(node)

    Visitor().visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_status_changes_only_in_the_transition_functions():
    outside = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "bench/")) or "/migrations/" in relative:
            continue
        for line, function in _changes(path):
            if (relative, function) not in TRANSITION_FUNCTIONS:
                outside.append(f"{relative}:{line} in {function or 'module'}")
    assert outside == []


@pytest.mark.parametrize(
    "table",
    [
        TRANSITIONS,
        DELIVERY_TRANSITIONS,
        LEAD_TRANSITIONS,
        RESERVATION_TRANSITIONS,
        REPORT_JOB_TRANSITIONS,
        BULK_JOB_TRANSITIONS,
        A400_JOB_TRANSITIONS,
        SITUATION_TRANSITIONS,
        EMAIL_TRANSITIONS,
        PendingRiskSharing.TRANSITIONS,
    ],
)
def test_every_machine_is_a_complete_table(table):
    """Each state has its row; every target is a state of the same machine."""
    assert set().union(*table.values()) <= set(table)
