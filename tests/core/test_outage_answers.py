"""What a request gets when the database is down (503 JSON, Retry-After) or, in embedded
mode, busy ("database is locked": 409 JSON) — never a 500 page."""

from django.db import OperationalError, connection

from core.outage import outage_response


def test_unreachable_database_is_503_json_with_retry_after(settings):
    settings.GPU_OUTAGE_RETRY_AFTER_SECONDS = 7
    try:
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    except OperationalError as exc:
        response = outage_response(exc)
    assert response.status_code == 503 and response["Retry-After"] == "7"
    assert response["Content-Type"] == "application/json"


def test_sqlite_busy_is_409_json():
    try:
        raise OperationalError("database is locked")
    except OperationalError as exc:
        response = outage_response(exc)
    assert response.status_code == 409 and b"conflito_concorrente" in response.content


def test_other_errors_are_left_alone():
    assert outage_response(ValueError("x")) is None


def test_embedded_mode_begins_write_transactions_immediately(db):
    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
