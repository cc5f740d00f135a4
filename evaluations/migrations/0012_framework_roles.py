"""Issue 15: the roles on the assessment frameworks, self-assessments and external indices. Diskominfo keeps the
frameworks and indices and fills the city's self-assessment; the evaluators (external assessors) record their own
levels (`assess_selfassessment`); only the Administrator deletes a framework or a self-assessment."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER, grant, model_perms

MODELS = ["framework", "frameworkdomain", "frameworkaspect", "frameworkindicator", "frameworkband",
          "selfassessment", "selfassessmentscore", "selfassessmentevidence", "externalindex", "externalindexvalue"]
OFFICIAL = ["framework", "selfassessment"]
ALL = ("add", "change", "delete", "view")
ASSESS = "evaluations.assess_selfassessment"


def grant_roles(apps, schema_editor):
    read = model_perms("evaluations", MODELS, ("view",))
    kept = [name for name in MODELS if name not in OFFICIAL]
    grant(apps, {
        ADMINISTRATOR: model_perms("evaluations", MODELS, ALL) + [ASSESS],
        DISKOMINFO_EDITOR: read + model_perms("evaluations", MODELS, ("add", "change"))
        + model_perms("evaluations", kept, ("delete",)),
        EVALUATOR: [*read, ASSESS],
        OPD_EDITOR: read,
        VIEWER: read,
    })  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0011_frameworks_external_indices"), ("pillars", "0017_approve_existing_roles")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
