"""Roles audit (issue 7): evaluators read the partnerships too (partners, MoUs, commitments, progress), as they
weigh them in the evaluation; contacts and API keys stay with Diskominfo staff."""

from django.db import migrations

from smartcity.roles import EVALUATOR, grant, model_perms

RECORDS = ["partner", "mou", "mouparty", "commitment", "progressreport", "scopearea"]


def grant_roles(apps, schema_editor):
    grant(apps, {EVALUATOR: model_perms("partnerships", RECORDS, ("view",))})


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0004_mou_contact_and_reminders"),
        ("evaluations", "0002_roles"),  # creates the Evaluator group
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
