"""reports.LocalDateTime: São Paulo wall-clock time prepared by the database."""

import pytest
from django.db import connection
from django.utils import timezone

from reports import LocalDateTime
from tests.factories import staff_user
from unimeds.models import Membership

pytestmark = pytest.mark.django_db


def _row(unimed):
    staff_user(unimed, "gestor")
    return Membership.objects.values_list("created_at", LocalDateTime("created_at")).get()


def test_local_datetime_is_the_same_moment_in_sao_paulo(unimed):
    aware, local = _row(unimed)
    if local.tzinfo is not None:  # not converted by this database: the writers convert it
        local = timezone.localtime(local).replace(tzinfo=None)
    assert local == timezone.localtime(aware).replace(tzinfo=None)


@pytest.mark.postgres
def test_postgresql_returns_naive_local_time(unimed):
    assert connection.vendor == "postgresql"
    aware, local = _row(unimed)
    assert local.tzinfo is None and local == timezone.localtime(aware).replace(tzinfo=None)
