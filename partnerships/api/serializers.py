from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from partnerships.choices import MoUStatus
from partnerships.models import Commitment, MoU, MoUParty, Partner, PartnerContact, ProgressReport, ScopeArea
from pillars.api.serializers import ProgramBriefSerializer
from pillars.models import Pillar, Program


class ScopeAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScopeArea
        fields = ["id", "slug", "order", "name_id", "name_en"]


class PartnerBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "slug", "name", "short_name", "kind"]


class PartnerContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerContact
        fields = ["id", "name", "role", "email", "phone"]


class PartnerSerializer(serializers.ModelSerializer):
    public_mou_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "kind",
            "website",
            "description_id",
            "description_en",
            "publication",
            "publish_from",
            "public_mou_count",
            "updated_at",
        ]


class PartnerWithContactsSerializer(PartnerSerializer):
    """For staff holding view_partnercontact: the contact people too (kept in the admin)."""

    contacts = PartnerContactSerializer(many=True, read_only=True)

    class Meta(PartnerSerializer.Meta):
        fields = [*PartnerSerializer.Meta.fields, "contacts"]


class MoUPartySerializer(serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    partner_detail = PartnerBriefSerializer(source="partner", read_only=True)

    class Meta:
        model = MoUParty
        fields = ["partner", "partner_detail", "partner_number", "signatory_name", "signatory_position"]


class MoUSerializer(serializers.ModelSerializer):
    parties = MoUPartySerializer(many=True)
    status = serializers.ChoiceField(choices=MoUStatus.choices, read_only=True, help_text=_("Today's status."))
    scope_areas = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=ScopeArea.objects.all(), required=False
    )
    pillars = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=Pillar.objects.all(), required=False)
    programs = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Program.objects.all(), required=False
    )
    program_details = ProgramBriefSerializer(source="programs", many=True, read_only=True)

    class Meta:
        model = MoU
        fields = [
            "id",
            "slug",
            "title_id",
            "title_en",
            "city_number",
            "parties",
            "city_signatory_name",
            "city_signatory_position",
            "state",
            "status",
            "signed_on",
            "signed_place",
            "signed_online",
            "valid_from",
            "valid_until",
            "scope_areas",
            "pillars",
            "programs",
            "program_details",
            "summary_id",
            "summary_en",
            "signed_document",
            "terminated_on",
            "termination_reason",
            "publication",
            "publish_from",
            "updated_at",
        ]
        read_only_fields = [
            "state",
            "signed_on",
            "signed_place",
            "signed_online",
            "terminated_on",
            "termination_reason",
        ]


class MoUSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField(label=_("signed on"))
    signed_place = serializers.CharField(label=_("place of signing"), max_length=120, required=False, default="")
    signed_online = serializers.BooleanField(label=_("signed online"), required=False, default=False)


class MoUTerminateSerializer(serializers.Serializer):
    terminated_on = serializers.DateField(label=_("terminated on"))
    reason = serializers.CharField(label=_("reason for termination"))


class CommitmentSerializer(serializers.ModelSerializer):
    mou = serializers.PrimaryKeyRelatedField(queryset=MoU.objects.all())
    mou_slug = serializers.SlugRelatedField(source="mou", slug_field="slug", read_only=True)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    partner_slug = serializers.SlugRelatedField(source="partner", slug_field="slug", read_only=True)
    pillar = serializers.SlugRelatedField(
        slug_field="slug", queryset=Pillar.objects.all(), required=False, allow_null=True
    )
    reached_quantity = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    last_reported_on = serializers.DateField(read_only=True, allow_null=True)
    progress_percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "mou",
            "mou_slug",
            "partner",
            "partner_slug",
            "description_id",
            "description_en",
            "target_quantity",
            "unit_id",
            "unit_en",
            "due_on",
            "pillar",
            "reached_quantity",
            "last_reported_on",
            "progress_percent",
            "updated_at",
        ]


class ProgressReportSerializer(serializers.ModelSerializer):
    commitment = serializers.PrimaryKeyRelatedField(queryset=Commitment.objects.all())
    progress_percent = serializers.IntegerField(read_only=True)
    reported_with_key = serializers.SerializerMethodField(help_text=_("Whether the partner's system reported it."))

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "commitment",
            "reported_on",
            "quantity_reached",
            "progress_percent",
            "note",
            "evidence",
            "reported_with_key",
            "created_at",
        ]

    def get_reported_with_key(self, report) -> bool:
        return report.reported_by_key_id is not None
