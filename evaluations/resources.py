"""The public evaluations list as CSV and JSON (export only; evaluations are entered in the admin, not imported)."""

from import_export import fields, resources

from .models import Evaluation


class EvaluationResource(resources.ModelResource):
    """One row per evaluation, read from Evaluation.objects.with_related(): its index, band, improvement and
    pillar scores (`governance=3.30; economy=3.50`)."""

    index = fields.Field(column_name="index")
    band = fields.Field(attribute="band_label_id", column_name="band")
    improvement = fields.Field(column_name="improvement")
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

    def dehydrate_index(self, evaluation) -> str:
        return _plain(evaluation.headline_index, evaluation)

    def dehydrate_improvement(self, evaluation) -> str:
        return _plain(evaluation.improvement, evaluation)

    def dehydrate_pillar_scores(self, evaluation) -> str:
        scores = evaluation.pillar_scores.all()
        return "; ".join(f"{score.pillar.slug}={_plain(score.score, evaluation)}" for score in scores)


def _plain(value, evaluation) -> str:
    """A score as data (a dot, no grouping), to the scheme's decimal places: 3.3100 → "3.31"."""
    return "" if value is None else f"{value:.{evaluation.scheme.decimals}f}"
