from rest_framework import serializers

from partnerships.models import Partner
from pillars.achievement import achievement_percent
from pillars.models import (
    Agency,
    BudgetLine,
    DigitalService,
    Feedback,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Pillar,
    Program,
    SubDimension,
)

PUBLICATION = ["publication", "publish_from"]


def slug_field(queryset, many=False, **kwargs):
    return serializers.SlugRelatedField(slug_field="slug", queryset=queryset, many=many, **kwargs)


class SubDimensionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubDimension
        fields = ["id", "slug", "order", "name_id", "name_en"]


class PillarSerializer(serializers.ModelSerializer):
    sub_dimensions = SubDimensionBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Pillar
        fields = [
            "id",
            "slug",
            "order",
            "name_id",
            "name_en",
            "description_id",
            "description_en",
            "colour",
            "sub_dimensions",
            "updated_at",
        ]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "slug", "name", "acronym", "updated_at"]


class MasterplanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Masterplan
        fields = ["id", "title", "first_year", "last_year", "regulation", "rpjmd_period", "document", "updated_at"]


class ProgramSerializer(serializers.ModelSerializer):
    pillar = slug_field(Pillar.objects.all())
    sub_dimensions = slug_field(SubDimension.objects.all(), many=True, required=False)
    lead_agency = slug_field(Agency.objects.all())
    supporting_agencies = slug_field(Agency.objects.all(), many=True, required=False)

    class Meta:
        model = Program
        fields = [
            "id",
            "slug",
            "title_id",
            "title_en",
            "description_id",
            "description_en",
            "pillar",
            "sub_dimensions",
            "lead_agency",
            "supporting_agencies",
            "masterplan",
            "horizon",
            "stage",
            "progress",
            "completed_on",
            "first_year",
            "last_year",
            "location",
            "latitude",
            "longitude",
            *PUBLICATION,
            "updated_at",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    program = slug_field(Program.objects.all())

    class Meta:
        model = Milestone
        fields = ["id", "program", "title_id", "title_en", "due_on", "done_on", "evidence", "updated_at"]


class BudgetLineSerializer(serializers.ModelSerializer):
    program = slug_field(Program.objects.all())

    class Meta:
        model = BudgetLine
        fields = ["id", "program", "year", "source", "planned_amount", "realised_amount", "note", "updated_at"]


class TargetBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["year", "value"]


class IndicatorSerializer(serializers.ModelSerializer):
    pillar = slug_field(Pillar.objects.all(), allow_null=True, required=False)
    owner_agency = slug_field(Agency.objects.all())
    targets = TargetBriefSerializer(many=True, read_only=True)
    latest_value = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)
    latest_measured_on = serializers.DateField(read_only=True, allow_null=True)
    latest_achievement = serializers.SerializerMethodField(
        help_text="Achievement (%) of the latest measurement against its year's target."
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "slug",
            "name_id",
            "name_en",
            "pillar",
            "is_headline",
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "frequency",
            "data_source",
            "owner_agency",
            "targets",
            "latest_value",
            "latest_measured_on",
            "latest_achievement",
            *PUBLICATION,
            "updated_at",
        ]

    def get_latest_achievement(self, indicator) -> str | None:
        measured_on = getattr(indicator, "latest_measured_on", None)
        if measured_on is None:
            return None
        target = next((t.value for t in indicator.targets.all() if t.year == measured_on.year), None)
        value = achievement_percent(target=target, actual=indicator.latest_value, direction=indicator.direction)
        return None if value is None else str(value)


class IndicatorTargetSerializer(serializers.ModelSerializer):
    indicator = slug_field(Indicator.objects.all())

    class Meta:
        model = IndicatorTarget
        fields = ["id", "indicator", "year", "value", "updated_at"]


class MeasurementSerializer(serializers.ModelSerializer):
    indicator = slug_field(Indicator.objects.all())

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "measured_on", "value", "source_note", "evidence", "updated_at"]


class DigitalServiceSerializer(serializers.ModelSerializer):
    pillar = slug_field(Pillar.objects.all())
    owner_agency = slug_field(Agency.objects.all())

    class Meta:
        model = DigitalService
        fields = [
            "id",
            "slug",
            "name",
            "description_id",
            "description_en",
            "pillar",
            "owner_agency",
            "audience",
            "status",
            "launched_year",
            "url",
            "platform",
            "origin",
            "origin_city",
            *PUBLICATION,
            "updated_at",
        ]


class InfrastructureAssetSerializer(serializers.ModelSerializer):
    program = slug_field(Program.objects.all(), allow_null=True, required=False)
    operator = slug_field(Partner.objects.all(), allow_null=True, required=False)

    class Meta:
        model = InfrastructureAsset
        fields = [
            "id",
            "kind",
            "name",
            "kelurahan",
            "kecamatan",
            "latitude",
            "longitude",
            "status",
            "installed_on",
            "operator",
            "funding_source",
            "program",
            "public_view_url",
            *PUBLICATION,
            "updated_at",
        ]


class ProgramBriefSerializer(serializers.ModelSerializer):
    """A program as it reads inside other records (an MoU's programs, a citizen's feedback)."""

    pillar = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Program
        fields = ["id", "slug", "title_id", "title_en", "pillar"]


class DigitalServiceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DigitalService
        fields = ["id", "slug", "name"]


class FeedbackBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "status", "created_at"]


class FeedbackPublicSerializer(serializers.ModelSerializer):
    """Published feedback as anyone may read it: the message and the agency's reply, never who wrote it."""

    program = ProgramBriefSerializer(read_only=True)
    service = DigitalServiceBriefSerializer(read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "program", "service", "message", "status", "reply", "moderated_at", "created_at"]
        read_only_fields = fields


class FeedbackSerializer(serializers.ModelSerializer):
    """Feedback as the owning agency moderates it: the citizen's words and contact are read-only; staff set the
    status (published or rejected) and the reply."""

    program = ProgramBriefSerializer(read_only=True)
    service = DigitalServiceBriefSerializer(read_only=True)
    moderated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "program",
            "service",
            "message",
            "name",
            "contact",
            "lapor_reference",
            "status",
            "reply",
            "moderated_at",
            "moderated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["message", "name", "contact", "lapor_reference", "moderated_at", "created_at", "updated_at"]
