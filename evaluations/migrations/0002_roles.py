"""Create the Evaluator role and grant every role its permissions on the evaluations app's models."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER, grant, model_perms

MODELS = ["evaluationscheme", "schemedimension", "schemeband", "evaluation", "dimensionscore", "pillarscore",
          "finding", "followupaction", "fieldvisit", "fieldvisitattachment"]
# What the evaluators write: the evaluations, their scores, findings and field visits (not schemes or follow-ups).
ASSESSMENT = ["evaluation", "dimensionscore", "pillarscore", "finding", "fieldvisit", "fieldvisitattachment"]
PILLARS = ["pillar", "subdimension", "agency", "masterplan", "program", "milestone", "budgetline", "indicator",
           "indicatortarget", "measurement", "digitalservice", "infrastructureasset"]
ALL = ("add", "change", "delete", "view")
READINESS = "evaluations.view_readiness"


def grant_roles(apps, schema_editor):
    read = model_perms("evaluations", MODELS, ("view",))
    grant(apps, {
        ADMINISTRATOR: model_perms("evaluations", MODELS, ALL) + [READINESS],
        DISKOMINFO_EDITOR: model_perms("evaluations", MODELS, ALL) + [READINESS],
        EVALUATOR: read + model_perms("evaluations", ASSESSMENT, ("add", "change")) + [READINESS]
        + model_perms("evaluations", ["dimensionscore", "pillarscore", "fieldvisitattachment"], ("delete",))
        + model_perms("pillars", PILLARS, ("view",)),
        # OPD editors report progress on their own agency's follow-ups (the agency scope is in services).
        OPD_EDITOR: read + ["evaluations.change_followupaction"],
        VIEWER: read,
    })


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial"), ("pillars", "0004_roles"),
                    ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
