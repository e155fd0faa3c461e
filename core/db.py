"""Database helpers shared by the apps."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def relaxed_commit():
    """A transaction whose commit does not wait for the disk (PostgreSQL
    `synchronous_commit = off` for this transaction only).

    For bookkeeping that is safe to lose in a database crash — the server's last
    fraction of a second, never a corruption: a delivery attempt's claim or result
    (lost, the delivery is simply sent again: delivery is at-least-once) and its log
    row. Never for what a caller was promised, such as a protocol and its number.
    """
    outermost = not connection.in_atomic_block  # inside a caller's transaction: its rules
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield
