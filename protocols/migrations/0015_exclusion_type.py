"""Manifestation type "Exclusão de beneficiário" (B): with "Cancelamento de plano" (C), the
requests that bring a client into retention (GPU_RETENCAO_PROTOCOL_TYPES). No wire digit:
the ten digits are taken (0 is not used by the clients we know); systems send the letter,
which tp_manifestacao accepts as it accepts the digits. Editable in the admin."""

from django.db import migrations


def add_type(apps, schema_editor):
    Category = apps.get_model("protocols", "Category")
    ManifestationType = apps.get_model("protocols", "ManifestationType")
    last = ManifestationType.objects.order_by("-sort_order").values_list("sort_order", flat=True)
    mtype, created = ManifestationType.objects.get_or_create(
        code="B",
        defaults={"name": "Exclusão de beneficiário", "sort_order": (last.first() or 0) + 1},
    )
    if created:
        mtype.categories.set(Category.objects.filter(code=6))


def remove_type(apps, schema_editor):
    ManifestationType = apps.get_model("protocols", "ManifestationType")
    Protocol = apps.get_model("protocols", "Protocol")
    if not Protocol.objects.filter(manifestation_type__code="B").exists():
        ManifestationType.objects.filter(code="B").delete()


class Migration(migrations.Migration):
    dependencies = [("protocols", "0014_regulatory")]
    operations = [migrations.RunPython(add_type, remove_type)]
