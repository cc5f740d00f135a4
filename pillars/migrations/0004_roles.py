"""Grant the roles their permissions on the pillars app's models."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, DISKOMINFO_EDITOR, OPD_EDITOR, VIEWER, grant, model_perms

REFERENCE = ["pillar", "subdimension", "agency"]
PORTFOLIO = ["masterplan", "program", "milestone", "budgetline", "indicator", "indicatortarget", "measurement",
             "digitalservice", "infrastructureasset"]
AGENCY_OWNED = ["program", "milestone", "budgetline", "indicator", "indicatortarget", "measurement", "digitalservice"]
CHILDREN = ["milestone", "budgetline", "indicatortarget", "measurement"]
ALL = ("add", "change", "delete", "view")


def grant_roles(apps, schema_editor):
    everything = model_perms("pillars", PORTFOLIO, ALL) + model_perms("pillars", REFERENCE, ("view", "change"))
    grant(apps, {
        ADMINISTRATOR: everything + ["pillars.add_agency", "pillars.delete_agency", "pillars.manage_all_agencies"],
        DISKOMINFO_EDITOR: everything + ["pillars.add_agency", "pillars.manage_all_agencies"],
        OPD_EDITOR: model_perms("pillars", REFERENCE + PORTFOLIO, ("view",))
        + model_perms("pillars", AGENCY_OWNED, ("add", "change"))
        + model_perms("pillars", CHILDREN, ("delete",)),
        VIEWER: model_perms("pillars", REFERENCE + PORTFOLIO, ("view",)),
    })


class Migration(migrations.Migration):
    dependencies = [("pillars", "0003_portfolio"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
