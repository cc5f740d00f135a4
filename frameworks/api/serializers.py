"""Serializers of the assessment frameworks, self-assessments and external indices."""

from django.utils.translation import gettext_lazy as _

from evaluations.models.fields import SCORE
from frameworks.models import (
    ExternalIndex,
    ExternalIndexValue,
    Framework,
    FrameworkAspect,
    FrameworkBand,
    FrameworkDomain,
    FrameworkIndicator,
    FrameworkLevel,
    SelfAssessment,
    SelfAssessmentEvidence,
    SelfAssessmentScore,
)
from smartcity.api import serializers
from smartcity.api.relations import BriefRelatedField

PUBLICATION = ["publication", "publish_from"]
SOURCED = ["source", "source_verified"]


class FrameworkIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = FrameworkIndicator
        fields = ["number", "name_ind", "name_en", "weight", "level_criteria", "named_by_assessee", *SOURCED]


class FrameworkAspectSerializer(serializers.ModelSerializer):
    indicators = serializers.SerializerMethodField()

    class Meta:
        model = FrameworkAspect
        fields = ["code", "name_ind", "name_en", "indicators"]

    def get_indicators(self, aspect) -> list[dict]:
        return FrameworkIndicatorSerializer(self.context["indicators"].get(aspect.pk, []), many=True).data


class FrameworkDomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = FrameworkDomain
        fields = ["code", "name_ind", "name_en"]


class FrameworkBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = FrameworkBand
        fields = ["label_ind", "label_en", "lower", "upper", *SOURCED]


class FrameworkLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = FrameworkLevel
        fields = ["level", "name_ind", "name_en", *SOURCED]


# Writing a framework's structure: plain nested input, checked as one whole by the writer.
class IndicatorInput(serializers.Serializer):
    number = serializers.IntegerField(min_value=1)
    name_ind = serializers.CharField(max_length=300)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    weight = serializers.DecimalField(max_digits=7, decimal_places=4, min_value=0, max_value=100)
    level_criteria = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text=_("Criteria text by level number.")
    )
    named_by_assessee = serializers.BooleanField(required=False)
    source = serializers.CharField(required=False, allow_blank=True)
    source_verified = serializers.BooleanField(required=False)


class AspectInput(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name_ind = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    indicators = IndicatorInput(many=True)


class DomainInput(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name_ind = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    aspects = AspectInput(many=True)


class FrameworkSerializer(serializers.ModelSerializer):
    domains = DomainInput(many=True, required=False, help_text=_("Indicator weights must add up to 100."))
    bands = FrameworkBandSerializer(many=True, required=False, help_text=_("Bands may not overlap."))
    levels = FrameworkLevelSerializer(many=True, required=False, help_text=_("The names of the levels."))

    class Meta:
        model = Framework
        fields = [
            "id",
            "slug",
            "name_ind",
            "name_en",
            "issuing_body",
            *SOURCED,
            "level_min",
            "level_max",
            "decimals",
            "notes",
            "domains",
            "levels",
            "bands",
            *PUBLICATION,
            "updated_at",
        ]

    def to_representation(self, framework):
        data = super().to_representation(framework)
        indicators, aspects = {}, {}
        for indicator in framework.indicators.all():
            indicators.setdefault(indicator.aspect_id, []).append(indicator)
        for aspect in framework.aspects.all():
            aspects.setdefault(aspect.domain_id, []).append(aspect)
        context = {"indicators": indicators}
        data["domains"] = [
            {**FrameworkDomainSerializer(domain).data,
             "aspects": FrameworkAspectSerializer(aspects.get(domain.pk, []), many=True, context=context).data}
            for domain in framework.domains.all()
        ]  # fmt: skip
        data["bands"] = FrameworkBandSerializer(framework.bands.all(), many=True).data
        data["levels"] = FrameworkLevelSerializer(framework.levels.all(), many=True).data
        return data


class FrameworkBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = ["id", "slug", "name_ind", "name_en"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelfAssessmentEvidence
        fields = ["id", "file", "caption"]


class ScoreSerializer(serializers.ModelSerializer):
    indicator = serializers.IntegerField(source="indicator.number", help_text=_("The indicator's number."))
    name_ind = serializers.CharField(source="indicator.name_ind", read_only=True)
    name_en = serializers.CharField(source="indicator.name_en", read_only=True)
    weight = serializers.DecimalField(source="indicator.weight", max_digits=7, decimal_places=4, read_only=True)
    gap = serializers.IntegerField(read_only=True, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = SelfAssessmentScore
        fields = ["indicator", "name_ind", "name_en", "weight", "target_level", "self_level", "justification",
                  "subject", "assessor_level", "assessor_note", "gap", "evidence"]  # fmt: skip
        read_only_fields = ["assessor_level", "assessor_note"]

    def validate(self, attrs):
        return {**attrs, "indicator": attrs["indicator"]["number"]}


class SelfAssessmentSerializer(serializers.ModelSerializer):
    framework = BriefRelatedField(queryset=Framework.objects.all())
    scores = ScoreSerializer(many=True, required=False)
    index = serializers.DecimalField(read_only=True, allow_null=True, **SCORE)
    band_ind = serializers.CharField(source="band_label_ind", read_only=True, allow_null=True)
    band_en = serializers.CharField(source="band_label_en", read_only=True, allow_null=True)

    class Meta:
        model = SelfAssessment
        fields = ["id", "framework", "year", "self_index", "assessor_index", "index", "band_ind", "band_en",
                  "summary_ind", "summary_en", "scores", *PUBLICATION, "updated_at"]  # fmt: skip


class SelfAssessmentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelfAssessment
        fields = ["id", "year"]


class AssessorScoreInput(serializers.Serializer):
    indicator = serializers.IntegerField(min_value=1)
    assessor_level = serializers.IntegerField(min_value=0, allow_null=True)
    assessor_note = serializers.CharField(required=False, allow_blank=True)


class AssessInput(serializers.Serializer):
    scores = AssessorScoreInput(many=True, allow_empty=False)


class EvidenceInput(serializers.Serializer):
    indicator = serializers.IntegerField(min_value=1)
    file = serializers.FileField()
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ExternalIndexSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExternalIndex
        fields = ["id", "slug", "name_ind", "name_en", "publisher", "scope", "kind", "scale_min", "scale_max",
                  "decimals", "publishes_bands", "url", "description_ind", "description_en", *SOURCED, *PUBLICATION,
                  "updated_at"]  # fmt: skip


class ExternalIndexBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExternalIndex
        fields = ["id", "slug", "name_ind", "name_en"]


class ExternalIndexValueSerializer(serializers.ModelSerializer):
    index = BriefRelatedField(queryset=ExternalIndex.objects.all())

    class Meta:
        model = ExternalIndexValue
        fields = ["id", "index", "year", "value", "level", "band_ind", "band_en", "rank", "ranked_among",
                  "peer_group_ind", "peer_group_en", "source_document", "source_url", *SOURCED,
                  "updated_at"]  # fmt: skip


class ExternalIndexValueBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExternalIndexValue
        fields = ["id", "year", "value", "level", "source_verified"]
