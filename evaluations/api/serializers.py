from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from evaluations.models import (
    DimensionScore,
    Evaluation,
    EvaluationScheme,
    FieldVisit,
    FieldVisitAttachment,
    Finding,
    FollowedPortal,
    FollowUpAction,
    PillarScore,
    PortalSnapshot,
    SchemeBand,
    SchemeDimension,
)
from evaluations.models.fields import SCORE
from pillars.models import Agency, Pillar
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
        fields = ["id", "code", "name_id", "name_en"]


class EvaluationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "slug", "year", "stage", "kind"]


class FindingBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", "kind", "text_id", "text_en"]


class FollowUpActionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpAction
        fields = ["id", "title_id", "title_en"]


class FieldVisitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = FieldVisit
        fields = ["id", "visited_on", "site"]


# --- Full forms ------------------------------------------------------------------------------------------


class SchemeDimensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeDimension
        fields = ["id", "code", "order", "name_id", "name_en", "weight"]
        read_only_fields = ["id", "order"]


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
            "text_id",
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
            "notes_id",
            "notes_en",
            "attachments",
            *PUBLICATION,
            "updated_at",
        ]


# --- the provincial view ------------------------------------------------------------------------------------------
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
    portal = BriefRelatedField(model=FollowedPortal, read_only=True)

    class Meta:
        model = PortalSnapshot
        fields = ["id", "portal", "read_at", "ok", "reason", "duration_ms", "data"]
        read_only_fields = fields
