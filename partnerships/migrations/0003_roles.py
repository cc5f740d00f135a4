"""Grant the roles their permissions on the partnerships app's models."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, OPD_EDITOR, VIEWER, grant, model_perms

RECORDS = ["partner", "mou", "mouparty", "commitment", "progressreport"]
STAFF_ONLY = ["partnercontact", "partnerapikey"]
ALL = ("add", "change", "delete", "view")
VERBS = ["partnerships.sign_mou", "partnerships.terminate_mou"]


def grant_roles(apps, schema_editor):
    reference = model_perms("partnerships", ["scopearea"], ("view", "change"))
    editor = model_perms("partnerships", RECORDS + STAFF_ONLY, ("add", "change", "view")) + reference + VERBS
    read = model_perms("partnerships", RECORDS + ["scopearea"], ("view",))
    grant(apps, {
        ADMINISTRATOR: model_perms("partnerships", RECORDS + STAFF_ONLY, ALL) + reference + VERBS,
        DISKOMINFO_EDITOR: editor + model_perms("partnerships", ["mouparty", "partnercontact"], ("delete",)),
        OPD_EDITOR: read,
        VIEWER: read,
    })


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0002_scope_areas"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
