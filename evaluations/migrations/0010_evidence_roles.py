"""Issue 14: the roles' permissions on the evaluation's evidence. Diskominfo keeps the output register and the
survey; assessors (Evaluator) ask for clarifications and close them; OPD editors see and answer only their own
agency's requests (the agency rule is in the querysets and writers); only the Administrator overrides readiness."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER, grant, model_perms

REGISTER = ["legalinstrument", "bodymember", "survey", "surveyitem", "surveytarget", "surveyresponse", "surveyanswer"]
CLARIFY = ["clarificationrequest", "clarificationanswer"]
ALL = ("add", "change", "delete", "view")
ANSWER = "evaluations.answer_clarificationrequest"


def grant_roles(apps, schema_editor):
    staff = model_perms("evaluations", REGISTER + CLARIFY, ALL) + [ANSWER]
    staff += model_perms("evaluations", ["evaluationpack"], ("add", "view")) + ["evaluations.view_readinessoverride"]
    read = model_perms("evaluations", REGISTER, ("view",))
    grant(apps, {
        ADMINISTRATOR: staff + ["evaluations.add_readinessoverride"],
        DISKOMINFO_EDITOR: staff,
        EVALUATOR: read + model_perms("evaluations", ["clarificationrequest"], ("add", "change", "view"))
        + ["evaluations.view_clarificationanswer", "evaluations.view_readinessoverride"]
        + model_perms("evaluations", ["evaluationpack"], ("add", "view")),
        OPD_EDITOR: read + [ANSWER, "evaluations.view_clarificationrequest"]
        + model_perms("evaluations", ["clarificationanswer"], ("add", "view")),
        VIEWER: read,
    })


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0009_evidence"), ("pillars", "0015_activity_roles"),
                    ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
