import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.identifiers import (
    mask_cpf,
    normalize_card,
    normalize_cnpj,
    normalize_cns,
    normalize_cpf,
    normalize_document,
    normalize_ibge,
    normalize_uf,
)


@pytest.mark.parametrize(
    "value, expected", [("529.982.247-25", "52998224725"), ("390.533.447-05", "39053344705")]
)
def test_valid_cpf_is_normalised_to_digits(value, expected):
    assert normalize_cpf(value) == expected


@pytest.mark.parametrize(
    "value", ["123.456.789-10", "111.111.111-11", "000.000.000-00", "5299822472", "abc"]
)
def test_invalid_cpf_is_refused_in_portuguese(value):
    with pytest.raises(ValidationError) as err:
        normalize_cpf(value)
    assert "CPF" in err.value.messages[0]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("11.222.333/0001-81", "11222333000181"),
        ("12.ABC.345/01DE-35", "12ABC34501DE35"),
        ("12.abc.345/01de-35", "12ABC34501DE35"),
    ],
)
def test_valid_cnpj_numeric_and_alphanumeric(value, expected):
    assert normalize_cnpj(value) == expected


@pytest.mark.parametrize(
    "value", ["11.222.333/0001-82", "12.ABC.345/01DE-34", "12.ABC.345/01DE-3X", "1122233300018"]
)
def test_invalid_cnpj_is_refused(value):
    with pytest.raises(ValidationError):
        normalize_cnpj(value)


def test_document_tells_person_from_company():
    assert normalize_document("529.982.247-25") == ("cpf", "52998224725")
    assert normalize_document("12.ABC.345/01DE-35") == ("cnpj", "12ABC34501DE35")
    with pytest.raises(ValidationError):
        normalize_document("123")


def test_cns_vectors():
    assert normalize_cns("898 0000 0004 3208") == "898000000043208"
    with pytest.raises(ValidationError):
        normalize_cns("898000000043209")
    with pytest.raises(ValidationError):
        normalize_cns("398000000043208")


def test_card_is_17_digits_with_unimed_prefix():
    assert normalize_card("0137 0000000000006") == "01370000000000006"
    for bad in ["0137000000000000", "0137A000000000006", "00000000000000006"]:
        with pytest.raises(ValidationError):
            normalize_card(bad)


def test_uf_and_ibge():
    assert normalize_uf("sc") == "SC"
    assert normalize_ibge("4205407") == "4205407"
    with pytest.raises(ValidationError):
        normalize_uf("XX")
    with pytest.raises(ValidationError):
        normalize_ibge("420540")


def _cpf_check_digits(nine: str) -> str:
    """DOMAIN.md: weights 10..2 then 11..2; remainder < 2 → 0, else 11 − r."""
    digits = [int(d) for d in nine]
    for weight_start in (10, 11):
        r = sum(d * w for d, w in zip(digits, range(weight_start, 1, -1), strict=False)) % 11
        digits.append(0 if r < 2 else 11 - r)
    return "".join(map(str, digits[9:]))


@given(st.integers(min_value=0, max_value=999_999_999))
def test_any_generated_cpf_round_trips_and_masks(base):
    digits = f"{base:09d}"
    if len(set(digits)) == 1:
        return
    full = digits + _cpf_check_digits(digits)
    formatted = f"{full[:3]}.{full[3:6]}.{full[6:9]}-{full[9:]}"
    assert normalize_cpf(formatted) == full
    masked = mask_cpf(full)
    assert masked == f"***.{full[3:6]}.{full[6:9]}-**"
