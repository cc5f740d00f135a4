from django.utils.translation import gettext_lazy as _

from partnerships.choices import MoUStatus, WebhookEvent
from partnerships.models import (
    Commitment,
    MoU,
    MoUParty,
    Partner,
    PartnerContact,
    ProgressReport,
    ScopeArea,
    WebhookDelivery,
    WebhookEndpoint,
)
from pillars.models import Pillar, Program
from smartcity.api import serializers
from smartcity.api.relations import BriefRelatedField


# --- Brief forms: how each record reads inside another one and in `?brief=1` lists (id, slug, names) ---------
class ScopeAreaBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScopeArea
        fields = ["id", "slug", "name_ind", "name_en"]


class PartnerBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "slug", "name", "short_name", "kind"]


class MoUBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = MoU
        fields = ["id", "slug", "title_ind", "title_en"]


class CommitmentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["id", "description_ind", "description_en"]


class ProgressReportBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "reported_on", "quantity_reached"]


# --- Full forms ------------------------------------------------------------------------------------------
class ScopeAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScopeArea
        fields = ["id", "slug", "order", "name_ind", "name_en"]


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
            "description_ind",
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
    partner = BriefRelatedField(queryset=Partner.objects.all())

    class Meta:
        model = MoUParty
        fields = ["partner", "partner_number", "signatory_name", "signatory_position"]


class MoUSerializer(serializers.ModelSerializer):
    parties = MoUPartySerializer(many=True)
    status = serializers.ChoiceField(choices=MoUStatus.choices, read_only=True, help_text=_("Today's status."))
    scope_areas = BriefRelatedField(queryset=ScopeArea.objects.all(), many=True, required=False)
    pillars = BriefRelatedField(queryset=Pillar.objects.all(), many=True, required=False)
    programs = BriefRelatedField(queryset=Program.objects.all(), many=True, required=False)

    class Meta:
        model = MoU
        fields = [
            "id",
            "slug",
            "title_ind",
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
            "summary_ind",
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
    signed_place = serializers.CharField(
        label=_("place of signing"), max_length=120, required=False, default="", allow_blank=True
    )
    signed_online = serializers.BooleanField(label=_("signed online"), required=False, default=False)


class MoUTerminateSerializer(serializers.Serializer):
    terminated_on = serializers.DateField(label=_("terminated on"))
    reason = serializers.CharField(label=_("reason for termination"))


class CommitmentSerializer(serializers.ModelSerializer):
    mou = BriefRelatedField(queryset=MoU.objects.all())
    partner = BriefRelatedField(queryset=Partner.objects.all())
    pillar = BriefRelatedField(queryset=Pillar.objects.all(), required=False, allow_null=True)
    reached_quantity = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    last_reported_on = serializers.DateField(read_only=True, allow_null=True)
    progress_percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "mou",
            "partner",
            "description_ind",
            "description_en",
            "target_quantity",
            "unit_ind",
            "unit_en",
            "due_on",
            "pillar",
            "reached_quantity",
            "last_reported_on",
            "progress_percent",
            "updated_at",
        ]


class ProgressReportSerializer(serializers.ModelSerializer):
    commitment = BriefRelatedField(queryset=Commitment.objects.all())
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


class EventsField(serializers.MultipleChoiceField):
    """The events an endpoint chose, as a sorted list of their names."""

    def to_internal_value(self, data):
        return sorted(super().to_internal_value(data))

    def to_representation(self, value):
        return sorted(value)


class WebhookEndpointBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url"]


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """A partner's key leaves `partner` out (it registers for itself); staff name the partner."""

    partner = BriefRelatedField(queryset=Partner.objects.all(), required=False)
    events = EventsField(choices=WebhookEvent.choices, allow_empty=False)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "partner",
            "url",
            "description",
            "events",
            "active",
            "failure_count",
            "disabled_at",
            "previous_secret_expires_at",
            "created_at",
            "updated_at",
        ]


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    """The answer to a registration or a rotation: the only time the signing secret is shown."""

    secret = serializers.CharField(read_only=True, help_text=_("The signing secret (whsec_…): shown only now."))

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliveryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ["id", "event_id", "event_type", "status"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    endpoint = BriefRelatedField(queryset=WebhookEndpoint.objects.all())

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event_id",
            "event_type",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "delivered_at",
            "response_code",
            "response_ms",
            "error",
            "created_at",
        ]
