"""Issue 12: an evaluation's status moves only through its workflow steps, each with its own permission.
Evaluators (who write the evaluations) and Diskominfo staff submit; only Diskominfo staff and the Administrator
declare an evaluation final, since the final result is the official record."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, grant

SUBMIT, FINALISE = "evaluations.submit_evaluation", "evaluations.finalise_evaluation"


def grant_roles(apps, schema_editor):
    grant(apps, {ADMINISTRATOR: [SUBMIT, FINALISE], DISKOMINFO_EDITOR: [SUBMIT, FINALISE], EVALUATOR: [SUBMIT]})


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0006_role_fixes")]

    operations = [
        migrations.AlterModelOptions(
            name="evaluation",
            options={
                "ordering": ["-year", "-started_on", "pk"],
                "permissions": [
                    ("view_readiness", "Can see what evidence an evaluation still lacks"),
                    ("submit_evaluation", "Can submit a draft evaluation"),
                    ("finalise_evaluation", "Can finalise a submitted evaluation"),
                ],
                "verbose_name": "evaluation",
                "verbose_name_plural": "evaluations",
            },
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
