"""Issue 22: a program's stage follows its progress (pillars.services.program_stage_rules). Programs stored as planned
while already showing progress (rolled up from their activities before the rule) move to in progress."""

from django.db import migrations


def planned_with_progress_in_progress(apps, schema_editor):
    program = apps.get_model("pillars", "Program")
    program.objects.filter(stage="planned", progress__gt=0).update(stage="in_progress")


class Migration(migrations.Migration):
    dependencies = [("pillars", "0022_ascii_area_codes")]

    operations = [migrations.RunPython(planned_with_progress_in_progress, migrations.RunPython.noop)]
