import pytest

from cooperados import a400

HEADER = "401;0137;20260115;1.0"
GOOD = "402;I;123;Maria  da Silva;12345sc;12345;sc;529.982.247-25;PRESTADOR;Maria@Example.com.br"


def parse(*lines: str) -> a400.A400File:
    return a400.parse("\n".join(lines).encode())


def test_header_and_a_valid_provider_line_are_normalised():
    parsed = parse(HEADER, GOOD, "409;1")
    assert parsed.unimed_code == "0137"
    assert parsed.generated_on.isoformat() == "2026-01-15"
    (rec,) = parsed.records
    assert (rec.line_no, rec.movement, rec.provider_code, rec.full_name, rec.login) == (
        2,
        "I",
        "123",
        "Maria da Silva",
        "12345SC",
    )
    assert (rec.crm_number, rec.crm_uf, rec.cpf, rec.profile, rec.email) == (
        "12345",
        "SC",
        "52998224725",
        "PRESTADOR",
        "maria@example.com.br",
    )
    assert parsed.rejected == []


def test_bad_lines_are_rejected_with_line_number_and_every_reason():
    parsed = parse(
        HEADER,
        GOOD,
        "402;X;12a;;l;12x;ZZ;123.456.789-10;CHEFE;nao-e-email",
        "402;I;1;so tres campos",
        "999;abc",
    )
    assert [r.line_no for r in parsed.rejected] == [3, 4, 5]
    reason = parsed.rejected[0].reason
    for part in (
        "movimento",
        "código do prestador",
        "nome",
        "login",
        "CRM",
        "UF",
        "CPF",
        "perfil",
        "e-mail",
    ):
        assert part.lower() in reason.lower()
    assert "10 campos" in parsed.rejected[1].reason
    assert "desconhecido" in parsed.rejected[2].reason
    assert len(parsed.records) == 1


def test_latin1_file_is_decoded():
    content = (HEADER + "\n" + GOOD.replace("Maria  da", "Conceição da") + "\n").encode("cp1252")
    assert a400.parse(content).records[0].full_name == "Conceição da Silva"


@pytest.mark.parametrize(
    "lines, message",
    [
        ([], "vazio"),
        (["402;I;1;x"], "cabeçalho"),
        (["401;137;20260101;1"], "4 dígitos"),
        (["401;0137;20261301;1"], "data"),
        ([HEADER, GOOD, "409;2"], "nada foi aplicado"),
        ([HEADER, "409;0", GOOD], "depois do trailer"),
        ([HEADER, HEADER], "segundo cabeçalho"),
    ],
)
def test_file_level_errors_refuse_the_whole_file(lines, message):
    with pytest.raises(a400.A400FileError, match=message):
        parse(*lines)
