"""PostgreSQL connection options: statements run often are prepared on the server."""

import pytest
from django.db import connection

from unimeds.models import Unimed

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_a_query_run_often_is_prepared_once_on_the_connection():
    for _ in range(6):  # psycopg prepares at the 5th run (OPTIONS prepare_threshold)
        list(Unimed.objects.filter(code="0137").values_list("pk", flat=True))

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("unimeds_unimed" in text and '"code" =' in text for text in prepared), prepared
