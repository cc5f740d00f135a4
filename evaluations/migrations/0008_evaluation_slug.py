"""Evaluations gain a slug for their public addresses (/evaluations/2024-stage-2/), filled for existing rows."""

from django.db import migrations, models
from django.utils.text import slugify


def slug_candidates(year, stage, kind):
    """A frozen copy of evaluations.services.evaluation_slug's rule: year and stage, then kind, then a number."""
    stage, kind = slugify(stage.replace("_", "-")), slugify(kind.replace("_", "-"))
    yield f"{year}-{stage}"
    yield f"{year}-{stage}-{kind}"
    number = 2
    while True:
        yield f"{year}-{stage}-{kind}-{number}"
        number += 1


def fill_slugs(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    HistoricalEvaluation = apps.get_model("evaluations", "HistoricalEvaluation")
    taken = set()
    for evaluation in Evaluation.objects.order_by("year", "pk"):
        evaluation.slug = next(s for s in slug_candidates(evaluation.year, evaluation.stage, evaluation.kind) if s not in taken)
        taken.add(evaluation.slug)
        evaluation.save(update_fields=["slug"])
    live = dict(Evaluation.objects.values_list("pk", "slug"))
    for row in HistoricalEvaluation.objects.filter(slug__isnull=True).iterator():
        row.slug = live.get(row.id) or next(slug_candidates(row.year, row.stage, row.kind))
        row.save(update_fields=["slug"])


# The column is added without an index (SlugField's default), so that making it unique below creates its
# indexes once (PostgreSQL's `_like` index would otherwise be made twice).
class Migration(migrations.Migration):
    dependencies = [("evaluations", "0007_workflow_permissions")]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="slug",
            field=models.SlugField(db_index=False, editable=False, max_length=80, null=True, verbose_name="slug"),
        ),
        migrations.AddField(
            model_name="historicalevaluation",
            name="slug",
            field=models.SlugField(db_index=False, editable=False, max_length=80, null=True, verbose_name="slug"),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evaluation",
            name="slug",
            field=models.SlugField(
                editable=False,
                help_text="Its address on the portal, from the year, stage and kind (e.g. 2024-stage-2); it never changes.",
                max_length=80,
                unique=True,
                verbose_name="slug",
            ),
        ),
        migrations.AlterField(
            model_name="historicalevaluation",
            name="slug",
            field=models.SlugField(
                db_index=True,
                editable=False,
                help_text="Its address on the portal, from the year, stage and kind (e.g. 2024-stage-2); it never changes.",
                max_length=80,
                verbose_name="slug",
            ),
        ),
    ]
