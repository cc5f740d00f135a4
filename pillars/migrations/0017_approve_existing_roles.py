"""Issue 15: indicators existing before the walidata's approval step were already public; they stay public as
approved. The roles get the new permissions: OPD editors (producers) submit their agency's indicators, Diskominfo
(walidata) approves or sends back, and keeps the districts and villages."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, OPD_EDITOR, VIEWER, grant, model_perms

AREAS = ["district", "village"]
SUBMIT, APPROVE = "pillars.submit_indicator", "pillars.approve_indicator"


def approve_existing(apps, schema_editor):
    apps.get_model("pillars", "Indicator").objects.update(approval="approved")


def grant_roles(apps, schema_editor):
    areas = model_perms("pillars", AREAS, ("add", "change", "delete", "view"))
    grant(apps, {
        ADMINISTRATOR: [*areas, SUBMIT, APPROVE],
        DISKOMINFO_EDITOR: [*areas, SUBMIT, APPROVE],
        OPD_EDITOR: [*model_perms("pillars", AREAS, ("view",)), SUBMIT],
        VIEWER: model_perms("pillars", AREAS, ("view",)),
    })  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("pillars", "0016_areas_indicator_metadata")]

    operations = [
        migrations.RunPython(approve_existing, migrations.RunPython.noop),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
