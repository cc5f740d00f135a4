from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer

from pillars.achievement import achievement_percent
from pillars.models import (
    Activity,
    Agency,
    BudgetLine,
    DigitalService,
    District,
    Feedback,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Pillar,
    Program,
    ProgramIndicator,
    SubDimension,
    Village,
)
from smartcity.api import serializers
from smartcity.api.relations import BriefRelatedField

PUBLICATION = ["publication", "publish_from"]

# The asset's operator is a partner: the one relation from pillars up to partnerships (README, architecture).
# Named through the model field, so this module imports nothing from partnerships.
Partner = InfrastructureAsset._meta.get_field("operator").related_model


# --- Brief forms: how each record reads inside another one and in `?brief=1` lists (id, slug, names) ---------
class PillarBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pillar
        fields = ["id", "slug", "name_ind", "name_en"]


class DistrictBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "code", "name"]


class VillageBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ["id", "code", "name"]


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "code", "bps_code", "name", "note", "source", "source_verified", "updated_at"]


class VillageSerializer(serializers.ModelSerializer):
    district = BriefRelatedField(queryset=District.objects.all())

    class Meta:
        model = Village
        fields = ["id", "code", "bps_code", "name", "district", "note", "source", "source_verified", "updated_at"]


class AreaFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (UTF-8) with the columns code (Kemendagri) and name, and optionally bps_code, note, source "
        "and verified (ya/tidak)."
    )


class IndicatorSendBackSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="What the producing agency should change.")


class SubDimensionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubDimension
        fields = ["id", "slug", "order", "name_ind", "name_en"]


class AgencyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "slug", "name", "acronym"]


class MasterplanBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Masterplan
        fields = ["id", "title"]


class ProgramBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "slug", "title_ind", "title_en"]


class MilestoneBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title_ind", "title_en"]


class BudgetLineBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "year", "source"]


class IndicatorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "slug", "name_ind", "name_en"]


class IndicatorTargetBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["id", "year", "value"]


class MeasurementBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "measured_on", "value"]


class DigitalServiceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DigitalService
        fields = ["id", "slug", "name"]


class InfrastructureAssetBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = InfrastructureAsset
        fields = ["id", "name"]


# --- Full forms ------------------------------------------------------------------------------------------


class PillarSerializer(serializers.ModelSerializer):
    sub_dimensions = SubDimensionBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Pillar
        fields = [
            "id",
            "slug",
            "order",
            "name_ind",
            "name_en",
            "description_ind",
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


class ProgramIndicatorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgramIndicator
        fields = ["id", "role"]


class ProgramIndicatorLinkSerializer(serializers.ModelSerializer):
    """One indicator of a program, as the program carries it (written with the program, through the link writer)."""

    indicator = BriefRelatedField(queryset=Indicator.objects.all())

    class Meta:
        model = ProgramIndicator
        fields = ["indicator", "role", "expected_value", "expected_year", "note"]


class ProgramIndicatorSerializer(serializers.ModelSerializer):
    """A program's link to an indicator it is meant to move, as its output or outcome."""

    program = BriefRelatedField(queryset=Program.objects.all())
    indicator = BriefRelatedField(queryset=Indicator.objects.all())

    class Meta:
        model = ProgramIndicator
        fields = ["id", "program", "indicator", "role", "expected_value", "expected_year", "note", "updated_at"]


class ProgramSerializer(serializers.ModelSerializer):
    pillar = BriefRelatedField(queryset=Pillar.objects.all())
    sub_dimensions = BriefRelatedField(queryset=SubDimension.objects.all(), many=True, required=False)
    lead_agency = BriefRelatedField(queryset=Agency.objects.all())
    supporting_agencies = BriefRelatedField(queryset=Agency.objects.all(), many=True, required=False)
    masterplan = BriefRelatedField(queryset=Masterplan.objects.all(), allow_null=True, required=False)
    districts = BriefRelatedField(queryset=District.objects.all(), many=True, required=False)
    # The links the caller may see (ProgramViewSet prefetches them); a write names the whole list, or leaves it out.
    indicators = ProgramIndicatorLinkSerializer(many=True, source="indicator_links", required=False)

    class Meta:
        model = Program
        fields = [
            "id",
            "slug",
            "title_ind",
            "title_en",
            "description_ind",
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
            "districts",
            "latitude",
            "longitude",
            "indicators",
            *PUBLICATION,
            "updated_at",
        ]


class ActivityBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["id", "year", "title_ind", "title_en"]


class ActivitySerializer(serializers.ModelSerializer):
    """An activity of a program's action plan; its progress rolls up into the program's by weight."""

    program = BriefRelatedField(queryset=Program.objects.all())
    owner_agency = BriefRelatedField(queryset=Agency.objects.all())
    pillar = BriefRelatedField(source="program.pillar", read_only=True, model=Pillar)

    class Meta:
        model = Activity
        fields = [
            "id",
            "program",
            "pillar",
            "year",
            "owner_agency",
            "title_ind",
            "title_en",
            "weight",
            "target",
            "progress",
            "evidence",
            "note",
            "updated_at",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    program = BriefRelatedField(queryset=Program.objects.all())

    class Meta:
        model = Milestone
        fields = ["id", "program", "title_ind", "title_en", "due_on", "done_on", "evidence", "updated_at"]


class BudgetLineSerializer(serializers.ModelSerializer):
    program = BriefRelatedField(queryset=Program.objects.all())

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "program",
            "year",
            "source",
            "planned_amount",
            "realised_amount",
            "smart_city",
            "note",
            "updated_at",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    pillar = BriefRelatedField(queryset=Pillar.objects.all(), allow_null=True, required=False)
    owner_agency = BriefRelatedField(queryset=Agency.objects.all())
    building_blocks = BriefRelatedField(queryset=Indicator.objects.all(), many=True, required=False)
    publicly_accessible = serializers.BooleanField(read_only=True, help_text="MS-Ind's “dapat diakses umum”.")
    targets = IndicatorTargetBriefSerializer(many=True, read_only=True)
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
            "name_ind",
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
            *Indicator.MS_IND_FIELDS,
            "publicly_accessible",
            "on_track_from",
            "at_risk_from",
            "approval",
            "approval_note",
            "approved_at",
            "iso_theme",
            "iso_number",
            "sdg_target",
            "spbe_indicator",
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
    indicator = BriefRelatedField(queryset=Indicator.objects.all())

    class Meta:
        model = IndicatorTarget
        fields = ["id", "indicator", "year", "value", "updated_at"]


class MeasurementSerializer(serializers.ModelSerializer):
    indicator = BriefRelatedField(queryset=Indicator.objects.all())

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "measured_on", "value", "source_note", "evidence", "updated_at"]


class DigitalServiceSerializer(serializers.ModelSerializer):
    pillar = BriefRelatedField(queryset=Pillar.objects.all())
    owner_agency = BriefRelatedField(queryset=Agency.objects.all())

    class Meta:
        model = DigitalService
        fields = [
            "id",
            "slug",
            "name",
            "description_ind",
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


DEPRECATED_AREA_HELP = {
    "district": _("Deprecated: the name of the district link; removed in the next release."),
    "village": _("Deprecated: the name of the village link; removed in the next release."),
}


class DeprecatedAreaName(serializers.CharField):
    """The linked area's name, "" without one, in every answer (a partial update's too, where a `default` would
    leave the field out)."""

    def __init__(self, link: str, **kwargs):
        self.link = link
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        area = getattr(value, self.link, None)
        return area.name if area is not None else ""


def deprecated_area_name(link: str) -> serializers.CharField:
    """The linked area's name under the old free-text column's name: read only, for one release (CHANGELOG)."""
    return DeprecatedAreaName(link, help_text=DEPRECATED_AREA_HELP[link])


@extend_schema_serializer(deprecate_fields=["kelurahan", "kecamatan"])
class InfrastructureAssetSerializer(serializers.ModelSerializer):
    program = BriefRelatedField(queryset=Program.objects.all(), allow_null=True, required=False)
    operator = BriefRelatedField(queryset=Partner.objects.all(), allow_null=True, required=False)
    district = BriefRelatedField(queryset=District.objects.all(), allow_null=True, required=False)
    village = BriefRelatedField(queryset=Village.objects.all(), allow_null=True, required=False)
    # Issue 24: the free-text columns became the district/village links.
    kelurahan = deprecated_area_name("village")
    kecamatan = deprecated_area_name("district")

    class Meta:
        model = InfrastructureAsset
        fields = [
            "id",
            "kind",
            "name",
            "kelurahan",
            "kecamatan",
            "district",
            "village",
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


class FeedbackBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "status", "created_at"]


class FeedbackPublicSerializer(serializers.ModelSerializer):
    """Published feedback as anyone may read it: the message and the agency's reply, never who wrote it."""

    program = BriefRelatedField(model=Program, read_only=True, allow_null=True)  # a program's or a service's
    service = BriefRelatedField(model=DigitalService, read_only=True, allow_null=True)

    class Meta:
        model = Feedback
        fields = ["id", "program", "service", "message", "status", "reply", "moderated_at", "created_at"]
        read_only_fields = fields


class FeedbackSerializer(serializers.ModelSerializer):
    """Feedback as the owning agency moderates it: the citizen's words and contact are read-only; staff set the
    status (published or rejected) and the reply."""

    program = BriefRelatedField(model=Program, read_only=True, allow_null=True)  # a program's or a service's
    service = BriefRelatedField(model=DigitalService, read_only=True, allow_null=True)

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
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["message", "name", "contact", "lapor_reference", "moderated_at", "created_at", "updated_at"]
