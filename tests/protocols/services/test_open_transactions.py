"""protocol_open inside a caller's transaction: an error the caller lets through rolls
back the whole unit of work; one the caller catches leaves its transaction usable (the
service's savepoint)."""

import pytest
from django.db import transaction

from core.db import insert_new
from core.errors import InvalidInput
from protocols.models import Category, Protocol
from protocols.services import protocol_open
from tests.protocols.conftest import beneficiary_data

pytestmark = pytest.mark.django_db


def test_an_error_inside_a_callers_transaction_rolls_back_the_whole_unit(network, portal):
    with pytest.raises(InvalidInput), transaction.atomic():
        protocol_open(actor=portal, **beneficiary_data())
        protocol_open(actor=portal, **beneficiary_data(card="123"))

    assert not Protocol.objects.exists()


def test_a_caller_that_catches_an_error_goes_on(network, portal):
    with transaction.atomic():
        with pytest.raises(InvalidInput):
            protocol_open(actor=portal, **beneficiary_data(card="123"))
        kept = protocol_open(actor=portal, **beneficiary_data())

    assert list(Protocol.objects.values_list("number", flat=True)) == [kept.number]


def test_insert_new_refuses_a_model_with_save_receivers():
    """Category's saves bump the reference-data memo (a post_save receiver): a raw insert
    would skip that, so insert_new refuses instead of quietly doing less."""
    with pytest.raises(TypeError, match="receivers"):
        insert_new(Category(code=77, name="x", deadline_rule="dias_uteis", deadline_days=3))
