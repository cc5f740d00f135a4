"""The provincial view: Diskominfo (and the Administrator) keep the list of followed portals; every staff role reads
it and the snapshots the harvest made. Nobody writes snapshots but the harvest itself."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, EVALUATOR, OPD_EDITOR, VIEWER, grant, model_perms


def grant_roles(apps, schema_editor):
    keep = model_perms("evaluations", ["followedportal"], ("add", "change", "delete", "view"))
    read = model_perms("evaluations", ["followedportal", "portalsnapshot"], ("view",))
    grant(apps, {
        ADMINISTRATOR: [*keep, *read],
        DISKOMINFO_EDITOR: [*keep, *read],
        EVALUATOR: read,
        OPD_EDITOR: read,
        VIEWER: read,
    })


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0013_followed_portals"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
