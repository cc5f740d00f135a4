"""Citizen feedback: the owning agency's editors (and Diskominfo) read and moderate it; only the Administrator
deletes it (a citizen's request to erase their message). Nobody adds it: citizens write through the public form.
Viewers and evaluators read only what is published, like anyone, without names or contacts."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, OPD_EDITOR, grant, model_perms


def grant_roles(apps, schema_editor):
    moderate = model_perms("pillars", ["feedback"], ("view", "change"))
    grant(apps, {
        ADMINISTRATOR: [*moderate, "pillars.delete_feedback"],
        DISKOMINFO_EDITOR: moderate,
        OPD_EDITOR: moderate,
    })


class Migration(migrations.Migration):
    dependencies = [("pillars", "0018_feedback"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
