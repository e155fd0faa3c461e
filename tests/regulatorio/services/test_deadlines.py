"""Legal deadlines on the ANS calendar (national + RJ state + city of Rio de Janeiro):
the issue's vectors, a due day moved past a weekend and a holiday, the city's holiday."""

from datetime import date

import pytest

from core.business_days import ANS_CALENDAR, add_business_days, is_business_day
from regulatorio.deadlines import due_date_for, internal_due_for, rule_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "notified", "due"),
    [
        ("nip_assistencial", date(2027, 3, 1), date(2027, 3, 8)),
        ("nip_nao_assistencial", date(2027, 3, 1), date(2027, 3, 15)),
        ("persus_abi", date(2027, 3, 1), date(2027, 3, 31)),
        # day 30 is Saturday 03/04 → Monday 05/04
        ("persus_abi", date(2027, 3, 4), date(2027, 4, 5)),
        # day 30 is Good Friday 26/03/2027, then the weekend → Monday 29/03
        ("persus_abi", date(2027, 2, 24), date(2027, 3, 29)),
        # recurso: day 15 is Saturday 24/04/2027 after São Jorge (RJ, Friday 23/04) → Monday 26/04
        ("persus_recurso", date(2027, 4, 9), date(2027, 4, 26)),
        # day 30 is 20/01/2027, São Sebastião (city of Rio de Janeiro) → 21/01
        ("persus_abi", date(2026, 12, 21), date(2027, 1, 21)),
        # NIP counted in business days skips São Sebastião (Wednesday 20/01/2027)
        ("nip_assistencial", date(2027, 1, 18), date(2027, 1, 26)),
    ],
)
def test_due_dates(key, notified, due):
    assert due_date_for(rule=rule_for(key), start=notified) == due


def test_rules_are_data_with_their_source():
    rule = rule_for("nip_assistencial")
    assert rule.pk is not None and rule.days == 5 and "RN" in rule.source
    rule.days = 7
    rule.save()
    assert due_date_for(rule=rule_for("nip_assistencial"), start=date(2027, 3, 1)) == date(
        2027, 3, 10
    )


def test_ans_calendar_has_the_city_holiday_and_the_rest_of_the_country_does_not():
    assert not is_business_day(date(2027, 1, 20), **ANS_CALENDAR)
    assert is_business_day(date(2027, 1, 20), uf="SP")
    assert add_business_days(date(2027, 1, 19), 1, **ANS_CALENDAR) == date(2027, 1, 21)


def test_internal_deadline_two_business_days_before_the_legal_one():
    assert internal_due_for(date(2027, 3, 8), today=date(2027, 3, 1)) == date(2027, 3, 4)
    # never before today
    assert internal_due_for(date(2027, 3, 8), today=date(2027, 3, 5)) == date(2027, 3, 5)
