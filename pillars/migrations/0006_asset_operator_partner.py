"""The infrastructure asset's operator becomes a link to a partner: add the link first."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pillars", "0005_indicator_stale_since"), ("partnerships", "0003_roles")]

    operations = [
        migrations.AddField(
            model_name="infrastructureasset",
            name="operator_partner",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="operated_assets",
                to="partnerships.partner", verbose_name="operator",
                help_text="The partner that runs it; empty when the city runs it itself.",
            ),
        ),
        migrations.AddField(
            model_name="historicalinfrastructureasset",
            name="operator_partner",
            field=models.ForeignKey(
                blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+", to="partnerships.partner", verbose_name="operator",
                help_text="The partner that runs it; empty when the city runs it itself.",
            ),
        ),
    ]
