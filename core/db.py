"""Database helpers shared by the apps."""

from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import signals


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


def _insert_statement(
    model, vendor: str, rows: int, skip_conflicts: bool
) -> tuple[str, list, list]:
    key = (model, vendor, rows, skip_conflicts)
    found = _INSERTS.get(key)
    if found is None:
        meta = model._meta
        # What the database fills (the auto primary key, generated columns) comes back.
        returning = [f for f in meta.concrete_fields if f.db_returning]
        fields = [
            f
            for f in meta.concrete_fields
            if f not in returning and not getattr(f, "generated", False)
        ]
        quote = connection.ops.quote_name
        row = f"({', '.join(['%s'] * len(fields))})"
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES {', '.join([row] * rows)} "  # names from the model
            f"{'ON CONFLICT DO NOTHING ' if skip_conflicts else ''}"
            f"RETURNING {', '.join(quote(f.column) for f in returning)}"
        )
        found = _INSERTS[key] = (sql, fields, returning)
    return found


_INSERTS: dict = {}


def insert_new(*objs, skip_conflicts: bool = False) -> bool:
    """INSERT new instances of one model in one statement, setting their primary keys:
    what `save()`/`bulk_create()` write, with the SQL built once per model.

    For the few rows every API call writes (protocol, event, parties, delivery, log):
    the ORM compiles an INSERT anew on every call, which costs more CPU than the
    round trip. Skips model signals, so it is only for models without receivers,
    and runs field `pre_save` (auto_now/auto_now_add) and database preparation like
    the ORM does; the primary key and generated columns come back set.
    Needs INSERT … RETURNING (PostgreSQL; SQLite ≥ 3.35).

    `skip_conflicts` (one object): a row that would break a unique constraint is not
    written (ON CONFLICT DO NOTHING) and False comes back — no IntegrityError, so no
    savepoint is needed around it to keep the transaction usable. True otherwise.
    """
    if not objs:
        return True
    if skip_conflicts and len(objs) != 1:
        raise ValueError(
            "skip_conflicts: one object at a time (which one was skipped is not known)"
        )
    model = type(objs[0])
    if signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model):
        # Skipping a receiver would silently skip what it does (a cache bump, an index).
        raise TypeError(f"insert_new: {model.__name__} has save signal receivers; use save().")
    sql, fields, returning = _insert_statement(model, connection.vendor, len(objs), skip_conflicts)
    params = [
        field.get_db_prep_save(field.pre_save(obj, True), connection)
        for obj in objs
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return False
    for obj, row in zip(objs, rows, strict=True):
        for field, value in zip(returning, row, strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding = False
        obj._state.db = connection.alias
    return True
