from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from pillars import filters
from pillars.geojson import feature_collection
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
)
from smartcity.api.caching import CachedListMixin
from smartcity.api.permissions import PublicReadModelPermissions
from smartcity.api.views import BriefListMixin, RecordViewSet

from . import serializers


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class PillarViewSet(BriefListMixin, CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """The six pillars with their sub-dimensions: public reference data."""

    queryset = Pillar.objects.with_related()
    serializer_class = serializers.PillarSerializer
    filterset_class = filters.PillarFilterSet
    permission_classes = [PublicReadModelPermissions]
    ordering_fields = ["order", "slug", "name_id", "name_en"]
    lookup_field = "slug"


class AgencyViewSet(BriefListMixin, CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """The city's agencies (OPD): public reference data."""

    queryset = Agency.objects.with_related()
    serializer_class = serializers.AgencySerializer
    filterset_class = filters.AgencyFilterSet
    permission_classes = [PublicReadModelPermissions]
    ordering_fields = ["name", "acronym"]
    lookup_field = "slug"


class MasterplanViewSet(RecordViewSet):
    """The city's smart-city masterplans: public documents (reference data, smartcity.models.ReferenceQuerySet)."""

    queryset = Masterplan.objects.all()
    serializer_class = serializers.MasterplanSerializer
    filterset_class = filters.MasterplanFilterSet
    ordering_fields = ["first_year", "title"]


class ProgramViewSet(RecordViewSet):
    queryset = Program.objects.all()
    serializer_class = serializers.ProgramSerializer
    filterset_class = filters.ProgramFilterSet
    ordering_fields = ["title_id", "title_en", "progress", "first_year", "last_year", "updated_at"]
    lookup_field = "slug"


class MilestoneViewSet(RecordViewSet):
    queryset = Milestone.objects.all()
    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilterSet
    ordering_fields = ["due_on", "done_on"]


class BudgetLineViewSet(RecordViewSet):
    queryset = BudgetLine.objects.all()
    serializer_class = serializers.BudgetLineSerializer
    filterset_class = filters.BudgetLineFilterSet
    ordering_fields = ["year", "planned_amount", "realised_amount"]


class IndicatorViewSet(RecordViewSet):
    queryset = Indicator.objects.all()
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilterSet
    ordering_fields = ["name_id", "name_en", "latest_measured_on", "updated_at"]
    lookup_field = "slug"


class IndicatorTargetViewSet(RecordViewSet):
    queryset = IndicatorTarget.objects.all()
    serializer_class = serializers.IndicatorTargetSerializer
    filterset_class = filters.IndicatorTargetFilterSet
    ordering_fields = ["year"]


class MeasurementViewSet(RecordViewSet):
    queryset = Measurement.objects.all()
    serializer_class = serializers.MeasurementSerializer
    filterset_class = filters.MeasurementFilterSet
    ordering_fields = ["measured_on", "value"]


class DigitalServiceViewSet(RecordViewSet):
    queryset = DigitalService.objects.all()
    serializer_class = serializers.DigitalServiceSerializer
    filterset_class = filters.DigitalServiceFilterSet
    ordering_fields = ["name", "launched_year", "updated_at"]
    lookup_field = "slug"


class InfrastructureAssetViewSet(RecordViewSet):
    queryset = InfrastructureAsset.objects.all()
    serializer_class = serializers.InfrastructureAssetSerializer
    filterset_class = filters.InfrastructureAssetFilterSet
    ordering_fields = ["name", "kind", "installed_on", "updated_at"]

    @extend_schema(
        description=str(_("The assets with coordinates as a GeoJSON FeatureCollection (same filters, no pages).")),
        responses={200: OpenApiResponse(description="GeoJSON FeatureCollection")},
    )
    @action(detail=False, methods=["get"], pagination_class=None, renderer_classes=[GeoJSONRenderer, JSONRenderer])
    def geojson(self, request):
        assets = self.filter_queryset(self.get_queryset()).exclude(latitude__isnull=True)
        return Response(feature_collection(assets))


class FeedbackViewSet(RecordViewSet):
    """Citizen feedback for the agency that moderates it: OPD editors read and moderate their own agencies' (a
    program's lead agency, a service's owner agency), Diskominfo every agency's. Anyone else reads only published
    messages, without name, contact or SP4N-LAPOR! ID. Citizens write through the public form, not here."""

    queryset = Feedback.objects.all()
    serializer_class = serializers.FeedbackSerializer
    filterset_class = filters.FeedbackFilterSet
    ordering_fields = ["created_at", "moderated_at", "status"]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        chosen = super().get_serializer_class()
        if chosen is serializers.FeedbackSerializer and not self.request.user.has_perm("pillars.view_feedback"):
            return serializers.FeedbackPublicSerializer
        return chosen
