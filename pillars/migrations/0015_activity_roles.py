"""Issue 14: the roles' permissions on the masterplan's action plan (activities). OPD editors plan and report their
own agency's activities (the agency rule is the activity writer's); Diskominfo keeps every agency's."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER, grant, model_perms

ALL = ("add", "change", "delete", "view")


def grant_roles(apps, schema_editor):
    grant(apps, {
        ADMINISTRATOR: model_perms("pillars", ["activity"], ALL),
        DISKOMINFO_EDITOR: model_perms("pillars", ["activity"], ALL),
        OPD_EDITOR: model_perms("pillars", ["activity"], ALL),
        EVALUATOR: ["pillars.view_activity"],
        VIEWER: ["pillars.view_activity"],
    })


class Migration(migrations.Migration):
    dependencies = [("pillars", "0014_evidence"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
