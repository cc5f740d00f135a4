"""The partner link takes the operator's name, now that the free text has moved into it (0007)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("pillars", "0007_asset_operator_to_partner")]

    operations = [
        migrations.RemoveField(model_name="infrastructureasset", name="operator"),
        migrations.RemoveField(model_name="historicalinfrastructureasset", name="operator"),
        migrations.RenameField(model_name="infrastructureasset", old_name="operator_partner", new_name="operator"),
        migrations.RenameField(
            model_name="historicalinfrastructureasset", old_name="operator_partner", new_name="operator"
        ),
    ]
