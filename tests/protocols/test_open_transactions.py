"""protocol_open's transaction inside a caller's: a savepoint, except in all_or_nothing()."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.db import all_or_nothing
from core.errors import InvalidInput
from protocols.models import Protocol
from protocols.services import protocol_open
from tests.protocols.conftest import beneficiary_data

pytestmark = pytest.mark.django_db


def _savepoints(queries) -> int:
    return sum(1 for q in queries.captured_queries if q["sql"].upper().startswith("SAVEPOINT"))


def test_inside_a_callers_transaction_a_caught_error_leaves_it_usable(network, portal):
    with transaction.atomic():
        with pytest.raises(InvalidInput):
            protocol_open(actor=portal, **beneficiary_data(card="123"))
        kept = protocol_open(actor=portal, **beneficiary_data())

    assert list(Protocol.objects.values_list("number", flat=True)) == [kept.number]


def test_inside_all_or_nothing_no_savepoint_is_written(network, portal):
    with transaction.atomic(), CaptureQueriesContext(connection) as plain:
        protocol_open(actor=portal, **beneficiary_data())
    with all_or_nothing(), CaptureQueriesContext(connection) as whole:
        protocol_open(actor=portal, **beneficiary_data())

    assert _savepoints(plain) >= 1
    assert _savepoints(whole) == 0


def test_inside_all_or_nothing_an_error_rolls_back_everything(network, portal):
    with pytest.raises(InvalidInput), all_or_nothing():
        protocol_open(actor=portal, **beneficiary_data())
        protocol_open(actor=portal, **beneficiary_data(card="123"))

    assert not Protocol.objects.exists()
    # Outside it again, services are back to savepoints.
    with transaction.atomic(), CaptureQueriesContext(connection) as after:
        protocol_open(actor=portal, **beneficiary_data())
    assert _savepoints(after) >= 1
