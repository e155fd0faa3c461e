"""Expressions that let the database prepare report values (see docs/reports.md)."""

from django.conf import settings
from django.db.models import DateTimeField, Func


class LocalDateTime(Func):
    """A timestamp as America/Sao_Paulo wall-clock time, for a `datetime` column.

    On PostgreSQL the database converts it (`AT TIME ZONE`): the row carries a
    naive local datetime, loaded by psycopg's C loader instead of Django's
    Python-level `timestamptz` loader, and the writer has nothing left to convert.
    Elsewhere (SQLite) it is the aware value and the writer converts it. The cell
    is the same either way.
    """

    arity = 1
    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} AT TIME ZONE %s)", (*params, settings.TIME_ZONE)
