"""Roles audit (issue 7): evaluations and their schemes are official records, so, as with MoUs and partners,
only the Administrator deletes them; the Diskominfo editor keeps adding and changing them."""

from django.db import migrations

from smartcity.roles import DISKOMINFO_EDITOR, revoke

OFFICIAL = ["evaluations.delete_evaluation", "evaluations.delete_evaluationscheme"]


def revoke_roles(apps, schema_editor):
    revoke(apps, {DISKOMINFO_EDITOR: OFFICIAL})


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0005_report_export_roles")]

    operations = [migrations.RunPython(revoke_roles, migrations.RunPython.noop)]
