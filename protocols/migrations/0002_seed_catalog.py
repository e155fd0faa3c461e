"""RN 623/2024 deadline table and the manifestation types used on the GPU wire.

Codes are stable: they travel as tp_manifestacao (1 char) and
tp_categoria_manifestacao (integer). Edit names/deadlines in the admin; never
reuse a code for something else.
"""

from django.db import migrations

RN623 = "RN ANS 623/2024, art. 8º (vigente desde 01/07/2025)"

CATEGORIES = [
    # code, name, rule, days, assistential
    (1, "Informação geral / não assistencial", "dias_uteis", 7, False),
    (2, "Solicitação assistencial (consultas, exames, terapias)", "dias_uteis", 5, True),
    (3, "Procedimento de alta complexidade (PAC)", "dias_uteis", 10, True),
    (4, "Internação eletiva", "dias_uteis", 10, True),
    (5, "Urgência e emergência", "imediato", 0, True),
    (6, "Administrativa / financeira (cadastro, boleto, contrato)", "dias_uteis", 7, False),
    (7, "Rede credenciada / Guia Médico", "dias_uteis", 7, False),
    (8, "Comercial (contratação de plano)", "dias_uteis", 7, False),
]

TYPES = [
    # code, name, allowed category codes
    ("I", "Informação", [1, 6, 7, 8]),
    ("R", "Reclamação", [1, 2, 3, 4, 5, 6, 7]),
    ("S", "Solicitação / autorização", [2, 3, 4, 5, 6]),
    ("E", "Elogio", [1, 7]),
    ("G", "Sugestão", [1, 7]),
    ("C", "Cancelamento de plano", [6]),
    ("M", "Reportar erro no Guia Médico", [7]),
    ("P", "Compra de plano", [8]),
    ("D", "Denúncia", [1, 6, 7]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("protocols", "Category")
    ManifestationType = apps.get_model("protocols", "ManifestationType")
    by_code = {}
    for order, (code, name, rule, days, assistential) in enumerate(CATEGORIES, start=1):
        by_code[code], _ = Category.objects.update_or_create(
            code=code,
            defaults={"name": name, "deadline_rule": rule, "deadline_days": days,
                      "is_assistential": assistential, "legal_basis": RN623, "sort_order": order},
        )
    for order, (code, name, allowed) in enumerate(TYPES, start=1):
        mtype, _ = ManifestationType.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
        mtype.categories.set([by_code[c] for c in allowed])


def unseed(apps, schema_editor):
    # Keep rows referenced by protocols; only an empty catalog is removed.
    Protocol = apps.get_model("protocols", "Protocol")
    if not Protocol.objects.exists():
        apps.get_model("protocols", "ManifestationType").objects.all().delete()
        apps.get_model("protocols", "Category").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("protocols", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
