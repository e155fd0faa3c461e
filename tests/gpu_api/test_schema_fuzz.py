"""schemathesis against our own OpenAPI schema (/api/v1/schema/): for every API
operation, a bounded number of generated requests, signed in as a service account.
No answer may be a 5xx, and every answer must match the schema (status documented,
JSON body of the documented shape)."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.renderers import JSONRenderer
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

_SPEC = JSONRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
schema = schemathesis.openapi.from_dict(__import__("json").loads(_SPEC))
APP = get_wsgi_application()


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the WSGI handler itself, which closes the database connection
    when a request ends inside a transaction (the test's): keep it, as Django's test
    client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(network):
    from tests.factories import service_token

    return service_token(network["0025"])


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_no_5xx_and_answers_match_the_schema(case, token):
    response = case.call(app=APP, headers={"Authorization": f"Bearer {token}"})
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
