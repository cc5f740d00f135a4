"""The public evaluations list as CSV and JSON (export only; evaluations are entered in the admin, not imported)."""

from import_export import fields, resources

from .models import Evaluation


class EvaluationResource(resources.ModelResource):
    """One row per evaluation, read from Evaluation.objects.with_related(): its index, band, improvement and
    pillar scores (`governance=3.30; economy=3.50`)."""

    index = fields.Field(attribute="headline_index", column_name="index")
    band = fields.Field(attribute="band_label_id", column_name="band")
    improvement = fields.Field(attribute="improvement", column_name="improvement")
    pillar_scores = fields.Field(column_name="pillar_scores")

    class Meta:
        model = Evaluation
        fields = [
            "year",
            "stage",
            "kind",
            "status",
            "evaluating_body",
            "letter_number",
            "letter_date",
            "index",
            "band",
            "improvement",
            "national_rank",
            "provincial_rank",
            "pillar_scores",
        ]
        export_order = fields

    def dehydrate_pillar_scores(self, evaluation) -> str:
        return "; ".join(f"{score.pillar.slug}={score.score}" for score in evaluation.pillar_scores.all())
