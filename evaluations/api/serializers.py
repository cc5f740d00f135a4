from django.utils.translation import gettext_lazy as _

from evaluations.choices import ExportFormat
from evaluations.models import (
    BodyMember,
    ClarificationAnswer,
    ClarificationRequest,
    DimensionScore,
    Evaluation,
    EvaluationPack,
    EvaluationScheme,
    FieldVisit,
    FieldVisitAttachment,
    Finding,
    FollowUpAction,
    LegalInstrument,
    PillarScore,
    SchemeBand,
    SchemeDimension,
    Survey,
    SurveyItem,
    SurveyResponse,
    SurveyTarget,
)
from evaluations.models.fields import SCORE
from pillars.models import Agency, DigitalService, Pillar, Program, SubDimension
from smartcity.api import serializers
from smartcity.api.relations import BriefRelatedField

PUBLICATION = ["publication", "publish_from"]


# --- Brief forms: how each record reads inside another one and in `?brief=1` lists (id, names) --------------
class EvaluationSchemeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationScheme
        fields = ["id", "name", "year"]


class SchemeDimensionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeDimension
        fields = ["id", "code", "name_ind", "name_en"]


class EvaluationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "slug", "year", "stage", "kind"]


class FindingBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", "kind", "text_ind", "text_en"]


class FollowUpActionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpAction
        fields = ["id", "title_ind", "title_en"]


class FieldVisitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = FieldVisit
        fields = ["id", "visited_on", "site"]


# --- Full forms ------------------------------------------------------------------------------------------


class SchemeDimensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeDimension
        fields = ["id", "code", "order", "name_ind", "name_en", "weight"]
        read_only_fields = ["id", "order"]


class SchemeBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeBand
        fields = ["label_ind", "label_en", "lower", "upper"]


class EvaluationSchemeSerializer(serializers.ModelSerializer):
    dimensions = SchemeDimensionSerializer(many=True, help_text=_("The weights must add up to 100."))
    bands = SchemeBandSerializer(many=True, required=False, help_text=_("Bands may not overlap."))

    class Meta:
        model = EvaluationScheme
        fields = [
            "id",
            "name",
            "year",
            "issuing_body",
            "scale_min",
            "scale_max",
            "decimals",
            "source",
            "source_verified",
            "bands_note",
            "min_survey_responses",
            "notes",
            "dimensions",
            "bands",
            *PUBLICATION,
            "updated_at",
        ]


class DimensionScoreSerializer(serializers.ModelSerializer):
    dimension = BriefRelatedField(
        queryset=SchemeDimension.objects.all(), help_text=_("A dimension of the evaluation's scheme.")
    )

    class Meta:
        model = DimensionScore
        fields = ["dimension", "score"]


class PillarScoreSerializer(serializers.ModelSerializer):
    pillar = BriefRelatedField(queryset=Pillar.objects.all())

    class Meta:
        model = PillarScore
        fields = ["pillar", "score"]


class EvaluationSerializer(serializers.ModelSerializer):
    scheme = BriefRelatedField(queryset=EvaluationScheme.objects.all())
    index = serializers.DecimalField(source="headline_index", read_only=True, allow_null=True, **SCORE)
    band_ind = serializers.CharField(source="band_label_ind", read_only=True, allow_null=True)
    band_en = serializers.CharField(source="band_label_en", read_only=True, allow_null=True)
    previous_year = serializers.IntegerField(read_only=True, allow_null=True)
    previous_index = serializers.DecimalField(read_only=True, allow_null=True, **SCORE)
    improvement = serializers.DecimalField(read_only=True, allow_null=True, **SCORE)
    dimension_scores = DimensionScoreSerializer(many=True, required=False)
    pillar_scores = PillarScoreSerializer(many=True, required=False)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "slug",
            "scheme",
            "year",
            "stage",
            "kind",
            "status",
            "evaluating_body",
            "assessors",
            "started_on",
            "ended_on",
            "letter_number",
            "letter_date",
            "national_rank",
            "provincial_rank",
            "computed_index",
            "official_index",
            "index",
            "band_ind",
            "band_en",
            "previous_year",
            "previous_index",
            "improvement",
            "summary_ind",
            "summary_en",
            "dimension_scores",
            "pillar_scores",
            *PUBLICATION,
            "updated_at",
        ]
        # The status moves only through the `submit` and `finalise` actions: a write naming it is a 400.
        read_only_fields = ["computed_index", "status"]


class FindingSerializer(serializers.ModelSerializer):
    evaluation = BriefRelatedField(queryset=Evaluation.objects.all())
    pillar = BriefRelatedField(queryset=Pillar.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Finding
        fields = [
            "id",
            "evaluation",
            "pillar",
            "kind",
            "text_ind",
            "text_en",
            *PUBLICATION,
            "updated_at",
        ]


class FollowUpActionSerializer(serializers.ModelSerializer):
    finding = BriefRelatedField(queryset=Finding.objects.all())
    owner_agency = BriefRelatedField(queryset=Agency.objects.all())
    # The finding's evaluation and pillar, read through it (written by naming the finding).
    evaluation = BriefRelatedField(source="finding.evaluation", read_only=True, model=Evaluation)
    pillar = BriefRelatedField(source="finding.pillar", read_only=True, allow_null=True, model=Pillar)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "finding",
            "evaluation",
            "pillar",
            "owner_agency",
            "title_ind",
            "title_en",
            "due_on",
            "status",
            "done_on",
            "is_overdue",
            "evidence",
            "note",
            *PUBLICATION,
            "updated_at",
        ]


class FieldVisitAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = FieldVisitAttachment
        fields = ["id", "kind", "file", "caption_ind", "caption_en"]


class FieldVisitSerializer(serializers.ModelSerializer):
    evaluation = BriefRelatedField(queryset=Evaluation.objects.all())
    agency = BriefRelatedField(queryset=Agency.objects.all(), allow_null=True, required=False)
    pillar = BriefRelatedField(queryset=Pillar.objects.all(), allow_null=True, required=False)
    attachments = FieldVisitAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = FieldVisit
        fields = [
            "id",
            "evaluation",
            "visited_on",
            "site",
            "agency",
            "pillar",
            "notes_ind",
            "notes_en",
            "attachments",
            *PUBLICATION,
            "updated_at",
        ]


# --- Evidence of the five dimensions (issue 14) ---------------------------------------------------------------------
class BodyMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = BodyMember
        fields = ["name", "role", "position"]


class LegalInstrumentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalInstrument
        fields = ["id", "year", "kind", "number", "title_ind", "title_en"]


class LegalInstrumentSerializer(serializers.ModelSerializer):
    """A regulation or decree of the output register; a decree forming a body lists its members (replaced as a
    whole when given)."""

    pillars = BriefRelatedField(queryset=Pillar.objects.all(), many=True, required=False)
    members = BodyMemberSerializer(many=True, required=False)

    class Meta:
        model = LegalInstrument
        fields = [
            "id",
            "year",
            "kind",
            "number",
            "issued_on",
            "title_ind",
            "title_en",
            "forms_body",
            "signed_file",
            "pillars",
            "members",
            *PUBLICATION,
            "updated_at",
        ]


class SurveyItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyItem
        fields = ["code", "order", "text_ind", "text_en"]
        read_only_fields = ["order"]


class SurveyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Survey
        fields = ["id", "slug", "year", "title_ind", "title_en"]


class SurveySerializer(serializers.ModelSerializer):
    """A year's citizen survey with its Likert items (replaced as a whole when given, matched by code)."""

    items = SurveyItemSerializer(many=True, required=False)

    class Meta:
        model = Survey
        fields = [
            "id",
            "slug",
            "year",
            "title_ind",
            "title_en",
            "scale_min",
            "scale_max",
            "run_by",
            "open_online",
            "items",
            *PUBLICATION,
            "updated_at",
        ]


class SurveyTargetBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyTarget
        fields = ["id", "survey", "sub_dimension"]


class SurveyTargetSerializer(serializers.ModelSerializer):
    survey = BriefRelatedField(queryset=Survey.objects.all())
    sub_dimension = BriefRelatedField(queryset=SubDimension.objects.all())
    program = BriefRelatedField(queryset=Program.objects.all(), allow_null=True, required=False)
    service = BriefRelatedField(queryset=DigitalService.objects.all(), allow_null=True, required=False)
    owner_agency = BriefRelatedField(queryset=Agency.objects.all(), allow_null=True, required=False)
    response_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SurveyTarget
        fields = ["id", "survey", "sub_dimension", "program", "service", "owner_agency", "response_count", "updated_at"]


class AnswersField(serializers.DictField):
    """{item code: value on the scale}; read from the prefetched answers."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.JSONField(), **kwargs)

    def to_representation(self, value):
        return {answer.item.code: answer.value for answer in value.all()}


class SurveyResponseBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyResponse
        fields = ["id", "target", "answered_on"]


class SurveyResponseSerializer(serializers.ModelSerializer):
    """One respondent's answers ({item code: value}); the writer checks them on the survey's scale."""

    target = BriefRelatedField(queryset=SurveyTarget.objects.all())
    answers = AnswersField(help_text=_("{item code: answer on the survey's scale}"))

    class Meta:
        model = SurveyResponse
        fields = ["id", "target", "respondent", "answered_on", "source", "answers", "updated_at"]


class SurveyImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("CSV or XLSX: columns respondent, answered_on and one per item code."))
    dry_run = serializers.BooleanField(default=False)


class ClarificationAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClarificationAnswer
        fields = ["id", "text", "file", "created_at"]


class ClarificationRequestBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClarificationRequest
        fields = ["id", "evaluation", "status", "due_on"]


class ClarificationRequestSerializer(serializers.ModelSerializer):
    """An assessor's request on a pillar, dimension or program; the status moves by `answer` and `close`."""

    evaluation = BriefRelatedField(queryset=Evaluation.objects.all())
    pillar = BriefRelatedField(queryset=Pillar.objects.all(), allow_null=True, required=False)
    dimension = BriefRelatedField(queryset=SchemeDimension.objects.all(), allow_null=True, required=False)
    program = BriefRelatedField(queryset=Program.objects.all(), allow_null=True, required=False)
    owner_agency = BriefRelatedField(queryset=Agency.objects.all())
    answers = ClarificationAnswerSerializer(many=True, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ClarificationRequest
        fields = [
            "id",
            "evaluation",
            "pillar",
            "dimension",
            "program",
            "owner_agency",
            "question",
            "due_on",
            "status",
            "closed_on",
            "is_overdue",
            "answers",
            "updated_at",
        ]
        read_only_fields = ["status", "closed_on"]


class EvaluationPackBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationPack
        fields = ["id", "evaluation", "format", "status"]


class EvaluationPackSerializer(serializers.ModelSerializer):
    evaluation = BriefRelatedField(queryset=Evaluation.objects.all())
    download = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationPack
        fields = ["id", "evaluation", "format", "status", "progress", "error", "download", "created_at", "updated_at"]
        read_only_fields = ["status", "progress", "error"]

    def get_download(self, pack) -> str | None:
        from django.urls import reverse

        return reverse("evaluations:evaluationpack-download", args=[pack.pk]) if pack.file else None


class EvaluationSubmitSerializer(serializers.Serializer):
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("An administrator's reason for submitting although readiness shows blocking gaps (kept)."),
    )


class PackRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=ExportFormat.choices)
