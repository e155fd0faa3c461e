"""Reference data read on every opening is memoised per process (core.refcache); every
change made through the services, the admin (model saves) or a token revocation must
be seen by the next request."""

import pytest
from oauth2_provider.models import AccessToken

from core import refcache
from core.errors import InvalidInput
from protocols.models import Category, Delivery
from protocols.services import protocol_open
from tests.protocols.conftest import beneficiary_data, non_client_data
from unimeds.models import Municipality, ServiceAccount
from unimeds.services import unimed_endpoint_configure, unimed_set_area

pytestmark = pytest.mark.django_db


def test_integration_turned_on_is_seen_by_the_next_opening(network, portal):
    first = protocol_open(actor=portal, **beneficiary_data())
    assert not Delivery.objects.filter(
        protocol=first
    ).exists()  # 0137 not integrated yet: memoised so
    unimed_endpoint_configure(
        actor=None,
        unimed=network["0137"],
        url="http://127.0.0.1:9/gpu",
        secret="segredo-de-teste-0137-abcdef",
    )
    second = protocol_open(actor=portal, **beneficiary_data())
    assert Delivery.objects.filter(protocol=second, unimed=network["0137"]).count() == 1


def test_area_moved_to_another_unimed_routes_the_next_non_client(network, portal):
    first = protocol_open(actor=portal, **non_client_data())
    assert first.responsible_unimed.code == "0025"
    unimed_set_area(unimed=network["0025"], municipality_codes=[])
    unimed_set_area(unimed=network["0666"], municipality_codes=["4106902", "4205407"])
    second = protocol_open(actor=portal, **non_client_data())
    assert second.responsible_unimed.code == "0666"


def test_category_deactivated_in_the_admin_is_refused_next(network, portal):
    protocol_open(actor=portal, **beneficiary_data(category=2))
    category = Category.objects.get(code=2)
    category.is_active = False
    category.save()  # what the admin does
    with pytest.raises(InvalidInput) as caught:
        protocol_open(actor=portal, **beneficiary_data(category=2))
    assert "category" in caught.value.fields


def test_queryset_update_needs_a_bump_and_then_is_seen(network, portal):
    assert protocol_open(actor=portal, **non_client_data()).responsible_unimed.code == "0025"
    Municipality.objects.filter(code="4205407").update(unimed=network["0666"])  # no signal
    refcache.bump()  # what a bulk change outside the services must do
    assert protocol_open(actor=portal, **non_client_data()).responsible_unimed.code == "0666"


def test_token_used_then_revoked_or_account_deactivated_is_refused(network, api_for):
    client = api_for(network["0137"])
    assert client.get("/api/v1/eu/").status_code == 200  # memoised now
    AccessToken.objects.get().delete()  # revocation
    assert client.get("/api/v1/eu/").status_code == 401

    other = api_for(network["0025"])
    assert other.get("/api/v1/eu/").status_code == 200
    account = ServiceAccount.objects.get(unimed=network["0025"])
    account.is_active = False
    account.save()
    assert other.get("/api/v1/eu/").status_code == 401


def test_unknown_tokens_are_not_memoised(network, api_client):
    for n in range(50):
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer desconhecido-{n}")
        assert api_client.get("/api/v1/eu/").status_code == 401
    assert not [key for key in refcache._values if key.startswith("token:")]


def test_lookups_of_whatever_strangers_type_do_not_grow_the_memo(network):
    from unimeds.selectors import municipality_get

    for n in range(refcache.MAX_ENTRIES + 500):
        assert municipality_get(f"{9000000 + n}") is None  # unknown IBGE codes
    assert len(refcache._values) <= refcache.MAX_ENTRIES
    assert municipality_get("4205407").unimed_id == network["0025"].pk
