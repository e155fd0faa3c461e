"""A400 files as they come from the field, broken: whatever is uploaded, the import
reports per line or refuses the file in pt-BR — never a crash (PostgreSQL refuses NUL
in text, which a NUL in a field used to send it)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cooperados.models import Cooperado
from cooperados.services import a400_import
from core.errors import DomainError
from tests.cooperados.services.test_a400_import import FILE
from unimeds.actors import system_actor

FIELDS = [line.split(";") for line in FILE.splitlines()]
odd_field = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["\x00", "\x1b[31m", "9" * 300, "a" * 80 + "@x.com", "🙂", ";", "\r", "\ufeff", "ção"]
    ),
)
FAST = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def broken_files(draw) -> bytes:
    lines = [list(fields) for fields in FIELDS]
    for _ in range(draw(st.integers(1, 4))):
        line = lines[draw(st.integers(0, len(lines) - 1))]
        index = draw(st.integers(0, len(line)))
        if index == len(line):
            line.append(draw(odd_field))
        else:
            line[index] = draw(odd_field)
    text = "\n".join(";".join(fields) for fields in lines)
    return text.encode(draw(st.sampled_from(["utf-8", "cp1252", "utf-16"])), "replace")


def _import(content: bytes):
    try:
        return a400_import(actor=system_actor(), content=content, filename="a400.txt")
    except DomainError as exc:
        assert exc.message
        return None


@FAST
@given(content=broken_files())
def test_a_broken_file_is_reported_or_refused(unimed, content):
    _import(content)


@FAST
@given(content=st.binary(max_size=300))
def test_any_bytes_are_reported_or_refused(unimed, content):
    _import(content)


def test_a_line_with_a_control_character_is_rejected_with_its_number(unimed):
    report = _import(FILE.replace("Bruno Lima", "Bruno\x00Lima").encode())
    assert (3, "rejeitado") in [(r.line_no, r.status) for r in report.lines]
    assert "caractere de controle" in next(r.detail for r in report.lines if r.line_no == 3).lower()
    assert not Cooperado.objects.filter(full_name__contains="Bruno").exists()
