"""The public evaluations list as CSV and JSON (export only; evaluations are entered in the admin, not imported), and
the import of citizen survey responses (CSV or XLSX, through the response's writer like every other door)."""

from django.utils.translation import gettext
from import_export import fields, resources

from smartcity.resources import ImportFileError, ServiceResource

from .choices import ResponseSource
from .models import Evaluation, SurveyResponse, SurveyTarget


class EvaluationResource(resources.ModelResource):
    """One row per evaluation, read from Evaluation.objects.with_related(): its index, band, improvement and
    pillar scores (`governance=3.30; economy=3.50`)."""

    index = fields.Field(column_name="index")
    band = fields.Field(attribute="band_label_ind", column_name="band")
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


class SurveyResponseResource(ServiceResource):
    """Survey responses from a survey tool's export or typed-in paper forms: one row per respondent, with the
    columns `respondent`, `answered_on` (year-month-day), optionally `source`, and one column per item code of the
    survey holding the answer on its Likert scale. Every row is new, and is written by the response's writer
    (which checks the answers), for the one surveyed program or service the import is for."""

    class Meta(ServiceResource.Meta):
        model = SurveyResponse
        fields = ["respondent", "answered_on", "source"]
        import_id_fields = []

    def __init__(self, *, target: SurveyTarget, **kwargs):
        super().__init__(**kwargs)
        self.target = target
        self.codes = [item.code for item in target.survey.items.all()]

    def check_headers(self, headers: list[str]) -> None:
        missing = [name for name in ["answered_on", *self.codes] if name not in headers]
        if missing:
            raise ImportFileError(
                gettext("The file has no column %(missing)s; it needs answered_on and one column per item: %(codes)s.")
                % {"missing": ", ".join(missing), "codes": ", ".join(self.codes)}
            )
        super().check_headers([header for header in headers if header not in self.codes])

    def get_or_init_instance(self, instance_loader, row):
        return self.init_instance(row), True  # every row is a new respondent

    def import_instance(self, instance, row, **kwargs):
        instance.target = self.target
        super().import_instance(instance, row, **kwargs)

    def row_data(self, instance, row) -> dict:
        data = super().row_data(instance, row)
        answers = {code: row.get(code) for code in self.codes if str(row.get(code) or "").strip()}
        return {
            **data,
            "source": data.get("source") or ResponseSource.IMPORT,
            "target": self.target,
            "answers": answers,
        }

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if not instance.source:
            instance.source = ResponseSource.IMPORT
        super().validate_instance(instance, import_validation_errors, validate_unique)
