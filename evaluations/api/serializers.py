from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from evaluations.models import (
    DimensionScore,
    Evaluation,
    EvaluationScheme,
    FieldVisit,
    FieldVisitAttachment,
    Finding,
    FollowUpAction,
    PillarScore,
    SchemeBand,
    SchemeDimension,
)
from evaluations.models.fields import SCORE
from pillars.models import Agency, Pillar

PUBLICATION = ["publication", "publish_from"]


class SchemeDimensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeDimension
        fields = ["code", "order", "name_id", "name_en", "weight"]
        read_only_fields = ["order"]


class SchemeBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeBand
        fields = ["label_id", "label_en", "lower", "upper"]


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
            "notes",
            "dimensions",
            "bands",
            *PUBLICATION,
            "updated_at",
        ]


class EvaluationSchemeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationScheme
        fields = ["id", "name", "year", "issuing_body", "scale_min", "scale_max", "decimals"]


class DimensionScoreSerializer(serializers.ModelSerializer):
    dimension = serializers.CharField(source="dimension.code", help_text=_("The dimension's code in the scheme."))
    name_id = serializers.CharField(source="dimension.name_id", read_only=True)
    name_en = serializers.CharField(source="dimension.name_en", read_only=True)
    weight = serializers.DecimalField(source="dimension.weight", max_digits=5, decimal_places=2, read_only=True)

    class Meta:
        model = DimensionScore
        fields = ["dimension", "name_id", "name_en", "weight", "score"]

    def validate(self, attrs):
        return {"dimension": attrs["dimension"]["code"], "score": attrs["score"]}


class PillarScoreSerializer(serializers.ModelSerializer):
    pillar = serializers.SlugRelatedField(slug_field="slug", queryset=Pillar.objects.all())
    name_id = serializers.CharField(source="pillar.name_id", read_only=True)
    name_en = serializers.CharField(source="pillar.name_en", read_only=True)

    class Meta:
        model = PillarScore
        fields = ["pillar", "name_id", "name_en", "score"]


class EvaluationSerializer(serializers.ModelSerializer):
    scheme_detail = EvaluationSchemeBriefSerializer(source="scheme", read_only=True)
    index = serializers.DecimalField(source="headline_index", read_only=True, allow_null=True, **SCORE)
    band_id = serializers.CharField(source="band_label_id", read_only=True, allow_null=True)
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
            "scheme",
            "scheme_detail",
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
            "band_id",
            "band_en",
            "previous_year",
            "previous_index",
            "improvement",
            "summary_id",
            "summary_en",
            "dimension_scores",
            "pillar_scores",
            *PUBLICATION,
            "updated_at",
        ]
        # The status moves only through the `submit` and `finalise` actions: a write naming it is a 400.
        read_only_fields = ["computed_index", "status"]


class EvaluationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "year", "stage", "kind"]


class FindingSerializer(serializers.ModelSerializer):
    evaluation_detail = EvaluationBriefSerializer(source="evaluation", read_only=True)
    pillar = serializers.SlugRelatedField(
        slug_field="slug", queryset=Pillar.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "evaluation",
            "evaluation_detail",
            "pillar",
            "kind",
            "text_id",
            "text_en",
            *PUBLICATION,
            "updated_at",
        ]


class FollowUpActionSerializer(serializers.ModelSerializer):
    owner_agency = serializers.SlugRelatedField(slug_field="slug", queryset=Agency.objects.all())
    owner_agency_name = serializers.CharField(source="owner_agency.name", read_only=True)
    evaluation = serializers.IntegerField(source="finding.evaluation_id", read_only=True)
    year = serializers.IntegerField(source="finding.evaluation.year", read_only=True)
    pillar = serializers.SlugRelatedField(source="finding.pillar", slug_field="slug", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "finding",
            "evaluation",
            "year",
            "pillar",
            "owner_agency",
            "owner_agency_name",
            "title_id",
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
        fields = ["id", "kind", "file", "caption_id", "caption_en"]


class FieldVisitSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.all(), allow_null=True, required=False
    )
    pillar = serializers.SlugRelatedField(
        slug_field="slug", queryset=Pillar.objects.all(), allow_null=True, required=False
    )
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
            "notes_id",
            "notes_en",
            "attachments",
            *PUBLICATION,
            "updated_at",
        ]


# --- the provincial view ------------------------------------------------------------------------------------------
from evaluations.models import FollowedPortal, PortalSnapshot  # noqa: E402


class FollowedPortalBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowedPortal
        fields = ["id", "name", "base_url"]


class FollowedPortalSerializer(serializers.ModelSerializer):
    last_read_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_read_ok = serializers.BooleanField(read_only=True, allow_null=True)
    last_reason = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = FollowedPortal
        fields = [
            "id",
            "name",
            "base_url",
            "active",
            "last_read_at",
            "last_read_ok",
            "last_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class PortalSnapshotBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PortalSnapshot
        fields = ["id", "read_at", "ok"]


class PortalSnapshotSerializer(serializers.ModelSerializer):
    portal = FollowedPortalBriefSerializer(read_only=True)

    class Meta:
        model = PortalSnapshot
        fields = ["id", "portal", "read_at", "ok", "reason", "duration_ms", "data"]
        read_only_fields = fields
