"""Loads the IBGE municipality table (5,570 rows) shipped in unimeds/data/.

Source: the table carried by the PyPI package cidade-ibge-tom 0.1.1 (MIT), converted
to CSV once; one row had its UF cut short ('R' → 'RO', checked against the IBGE
state prefix). Reloading is idempotent: names and UFs are refreshed, areas kept.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "municipios_ibge.csv"


def load(apps, schema_editor):
    Municipality = apps.get_model("unimeds", "Municipality")
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    existing = set(Municipality.objects.values_list("code", flat=True))
    Municipality.objects.bulk_create(
        [Municipality(code=r["codigo_ibge"], name=r["nome"], uf=r["uf"]) for r in rows if r["codigo_ibge"] not in existing],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("unimeds", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
