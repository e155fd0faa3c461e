from django.db import migrations


class Migration(migrations.Migration):
    """ReportJob moved to the `reports` app; its table (core_reportjob) stays, so only
    Django's record of which app owns the model changes."""

    dependencies = [
        ("core", "0004_heartbeat_outbound_email"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ReportJob")]),
    ]
