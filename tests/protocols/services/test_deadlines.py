"""Due dates from the catalog rule and the responsible Unimed's calendar (DOMAIN.md §5)."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from protocols.models import Category, ManifestationType

pytestmark = pytest.mark.django_db


def _open_on(open_protocol, day: date, **overrides):
    with time_machine.travel(datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC), tick=False):
        return open_protocol(**overrides)


@pytest.mark.parametrize(
    ("day", "mtype", "category", "due"),
    [
        (date(2026, 4, 1), "S", 2, date(2026, 4, 9)),  # assistential 5; Good Friday 03/04
        (date(2026, 11, 13), "S", 3, date(2026, 11, 30)),  # high complexity 10; 20/11
        (date(2026, 11, 13), "S", 4, date(2026, 11, 30)),  # elective hospitalisation 10
        (date(2026, 2, 13), "S", 2, date(2026, 2, 20)),  # Carnival counts by default
        (date(2026, 4, 1), "I", 1, date(2026, 4, 13)),  # non-assistential information 7
        (date(2026, 4, 3), "S", 5, date(2026, 4, 3)),  # urgency: immediate, even on a holiday
    ],
)
def test_domain_vectors(open_protocol, day, mtype, category, due):
    protocol = _open_on(open_protocol, day, manifestation_type=mtype, category=category)
    assert protocol.due_date == due
    assert protocol.events.get().payload["due_date"] == due.isoformat()


def test_carnival_setting_of_the_responsible_unimed(network, open_protocol):
    unimed = network["0137"]
    unimed.carnival_is_holiday = unimed.ash_wednesday_is_holiday = True
    unimed.save()
    assert _open_on(open_protocol, date(2026, 2, 13)).due_date == date(2026, 2, 25)


def test_state_holiday_of_the_responsible_unimed_counts(network, open_protocol):
    # 09/07 is a São Paulo state holiday, not a national one: 0137 (SP) skips it, 0025 (SC) does not.
    sp = _open_on(open_protocol, date(2026, 7, 8))
    sc = _open_on(open_protocol, date(2026, 7, 8), card="0025" + "0" * 12 + "7")
    assert (sp.due_date, sc.due_date) == (date(2026, 7, 16), date(2026, 7, 15))


def test_rule_change_is_a_data_change(open_protocol):
    Category.objects.filter(code=2).update(deadline_days=3)
    assert _open_on(open_protocol, date(2026, 4, 1)).due_date == date(2026, 4, 7)


def test_seeded_catalog_has_the_rn623_table():
    rules = {c.code: (c.deadline_rule, c.deadline_days) for c in Category.objects.all()}
    assert rules[1] == ("dias_uteis", 7) and rules[2] == ("dias_uteis", 5)
    assert rules[3] == rules[4] == ("dias_uteis", 10) and rules[5][0] == "imediato"
    names = dict(ManifestationType.objects.values_list("code", "name"))
    for code in "IRSEGCMP":
        assert code in names
    assert names["M"] == "Reportar erro no Guia Médico"
