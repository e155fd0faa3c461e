from django.db import migrations


def seed(apps, schema_editor):
    from regulatorio.deadlines import DEFAULT_RULES

    DeadlineRule = apps.get_model("regulatorio", "DeadlineRule")
    for key, name, days, counting, source in DEFAULT_RULES:
        DeadlineRule.objects.get_or_create(
            key=key, defaults={"name": name, "days": days, "counting": counting, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("regulatorio", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
