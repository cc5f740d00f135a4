"""Roles audit (issue 7): the Administrator manages the staff accounts, their groups and login lockouts; no
other role touches users or groups."""

from django.db import migrations

from smartcity.roles import ADMINISTRATOR, grant, model_perms


def grant_roles(apps, schema_editor):
    grant(apps, {
        ADMINISTRATOR: model_perms("auth", ["user", "group"], ("add", "change", "delete", "view"))
        + ["auth.view_permission"]
        # django-axes: see who is locked out and unlock them by deleting the attempt.
        + model_perms("axes", ["accessattempt"], ("view", "delete")),
    })


class Migration(migrations.Migration):
    dependencies = [
        ("pillars", "0009_program_title_order"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
