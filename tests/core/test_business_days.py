from datetime import date

import pytest

from core.business_days import add_business_days, business_days_between, is_business_day


@pytest.mark.parametrize(
    "start, days, optional_off, expected",
    [
        (date(2026, 4, 1), 5, frozenset(), date(2026, 4, 9)),  # Good Friday 03/04
        (date(2026, 11, 13), 10, frozenset(), date(2026, 11, 30)),  # 20/11 Consciência Negra
        (date(2026, 2, 13), 5, frozenset(), date(2026, 2, 20)),
        (date(2026, 2, 13), 5, frozenset({"carnaval", "quarta_cinzas"}), date(2026, 2, 25)),
    ],
)
def test_domain_vectors(start, days, optional_off, expected):
    assert add_business_days(start, days, optional_off=optional_off) == expected


def test_zero_days_is_immediate():
    assert add_business_days(date(2026, 11, 21), 0) == date(2026, 11, 21)


def test_state_holiday_counts_for_that_state_only():
    # 09/07 is São Paulo's Revolução Constitucionalista holiday (a Thursday in 2026).
    assert not is_business_day(date(2026, 7, 9), uf="SP")
    assert is_business_day(date(2026, 7, 9), uf="SC")


def test_corpus_christi_is_a_setting():
    assert is_business_day(date(2026, 6, 4))
    assert not is_business_day(date(2026, 6, 4), optional_off=frozenset({"corpus_christi"}))


def test_business_days_between():
    assert business_days_between(date(2026, 11, 13), date(2026, 11, 30)) == 10
    assert business_days_between(date(2026, 11, 30), date(2026, 11, 13)) == 0
