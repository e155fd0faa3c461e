"""Trigram search on PostgreSQL: name fragments (LIKE '%x%') use a GIN index.

btree_gin lets the same GIN index hold unimed_id, so a search scoped to one Unimed
does not read the other Unimeds' matches. On SQLite both steps do nothing.
"""

from django.contrib.postgres.operations import BtreeGinExtension, TrigramExtension
from django.db import migrations

INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS coop_name_trgm ON cooperados_cooperado "
    "USING gin (unimed_id, search_name gin_trgm_ops)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS coop_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("cooperados", "0001_initial")]

    operations = [
        TrigramExtension(),
        BtreeGinExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
