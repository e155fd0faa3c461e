"""Templates print codes only through core.labels (gpu_labels): no raw audit action or
actor, no status colour chosen in a template."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
# A stored code printed as is: who acted, what was done.
RAW_CODE = re.compile(
    r"\{\{\s*[\w.]*\.(action|actor|actor_label|who|requested_by_label|created_by|last_error)\s*\}\}"
)


def test_no_template_prints_an_action_or_actor_code():
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if RAW_CODE.search(line) and "Detalhe técnico" not in line
    ]
    assert found == []


def test_no_template_picks_a_status_colour_itself():
    """Status badges come from core.labels (status_badge / status_class)."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(
            r"get_status_display \}\}</span>|text-bg-\{%|\{% if [^%]*status[^%]*%\}text-bg", line
        )
    ]
    assert found == []
