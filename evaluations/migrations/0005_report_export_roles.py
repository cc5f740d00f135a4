"""Who may ask for and download the yearly report files: every staff role but the OPD editor."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, VIEWER, grant


def grant_roles(apps, schema_editor):
    both = ["evaluations.view_reportexport", "evaluations.add_reportexport"]
    grant(apps, {
        ADMINISTRATOR: both, DISKOMINFO_EDITOR: both, EVALUATOR: both, VIEWER: ["evaluations.view_reportexport"],
    })


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0004_report_export")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
