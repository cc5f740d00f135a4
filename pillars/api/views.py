from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import fields, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from pillars import filters, services
from pillars.geojson import feature_collection, map_view, map_view_parameters
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
    Village,
)
from smartcity.api.caching import CachedListMixin
from smartcity.api.permissions import HasPerm, PublicReadModelPermissions
from smartcity.api.views import BriefListMixin, RecordViewSet
from smartcity.opendata import OpenDataset

from . import serializers


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class PillarViewSet(BriefListMixin, CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """The six pillars with their sub-dimensions: public reference data."""

    queryset = Pillar.objects.with_related()
    open_data = OpenDataset(
        title=_("Smart-city pillars"),
        description=_(
            "The six pillars of the smart-city masterplan (Gerakan Menuju 100 Smart City) with their sub-dimensions."
        ),
        topic="reference",
        keywords=(_("pillar"), _("smart city"), _("masterplan")),
    )
    serializer_class = serializers.PillarSerializer
    filterset_class = filters.PillarFilterSet
    permission_classes = [PublicReadModelPermissions]
    ordering_fields = ["order", "slug", "name_ind", "name_en"]
    lookup_field = "slug"


class AgencyViewSet(BriefListMixin, CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """The city's agencies (OPD): public reference data."""

    queryset = Agency.objects.with_related()
    open_data = OpenDataset(
        title=_("City agencies (OPD)"),
        description=_(
            "The city's agencies (organisasi perangkat daerah) that run programmes, services and indicators."
        ),
        topic="reference",
        keywords=(_("agency"), _("OPD"), _("government")),
    )
    serializer_class = serializers.AgencySerializer
    filterset_class = filters.AgencyFilterSet
    permission_classes = [PublicReadModelPermissions]
    ordering_fields = ["name", "acronym"]
    lookup_field = "slug"


class MasterplanViewSet(RecordViewSet):
    """The city's smart-city masterplans: public documents (reference data, smartcity.models.ReferenceQuerySet)."""

    queryset = Masterplan.objects.all()
    open_data = OpenDataset(
        title=_("Smart-city masterplans"),
        description=_(
            "The city's smart-city masterplans: their period, the regulation that set them and their documents."
        ),
        topic="planning",
        keywords=(_("masterplan"), _("planning"), _("RPJMD")),
    )
    serializer_class = serializers.MasterplanSerializer
    filterset_class = filters.MasterplanFilterSet
    ordering_fields = ["first_year", "title"]


class ProgramViewSet(RecordViewSet):
    queryset = Program.objects.all()
    open_data = OpenDataset(
        title=_("Smart-city programmes"),
        description=_("Every published smart-city programme: its pillar, lead agency, stage, progress and years."),
        topic="planning",
        keywords=(_("programme"), _("progress"), _("smart city")),
        agency="lead_agency",
    )
    serializer_class = serializers.ProgramSerializer
    filterset_class = filters.ProgramFilterSet
    ordering_fields = ["title_ind", "title_en", "progress", "first_year", "last_year", "updated_at"]
    lookup_field = "slug"

    def with_related(self, queryset):
        """The indicator links too: only those the caller may see (the public: published on both sides)."""
        return super().with_related(queryset).with_indicator_links(self.request.user)


class ProgramIndicatorViewSet(RecordViewSet):
    """Which indicators each program is meant to move, as output or outcome (RPJMD/Renstra: program → indikator
    kinerja); written by the program's lead agency. Public where both the program and the indicator are."""

    open_data = OpenDataset(
        title=_("Programs and the indicators they move"),
        description=_(
            "Which indicators each program is meant to move, as output or outcome, with the contribution expected "
            "in a year (program → indikator kinerja)."
        ),
        topic="performance",
        keywords=(_("program"), _("indicator"), _("outcome")),
    )
    queryset = ProgramIndicator.objects.all()
    serializer_class = serializers.ProgramIndicatorSerializer
    filterset_class = filters.ProgramIndicatorFilterSet
    ordering_fields = ["role", "expected_year", "updated_at"]


class ActivityViewSet(RecordViewSet):
    """The masterplan's action plan: yearly activities of each program, planned and reported by their own agency;
    each write rolls the program's progress up again by weight."""

    queryset = Activity.objects.all()
    open_data = OpenDataset(
        title=_("Programme activities"),
        description=_("The yearly activities of each programme, with their owner agency, weight, target and progress."),
        topic="planning",
        keywords=(_("activity"), _("progress"), _("work plan")),
        agency="owner_agency",
    )
    serializer_class = serializers.ActivitySerializer
    filterset_class = filters.ActivityFilterSet
    ordering_fields = ["year", "progress", "weight", "updated_at"]


class MilestoneViewSet(RecordViewSet):
    queryset = Milestone.objects.all()
    open_data = OpenDataset(
        title=_("Programme milestones"),
        description=_("The milestones of each programme: what is due when, and when it was done."),
        topic="planning",
        keywords=(_("milestone"), _("schedule")),
    )
    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilterSet
    ordering_fields = ["due_on", "done_on"]


class BudgetLineViewSet(RecordViewSet):
    queryset = BudgetLine.objects.all()
    open_data = OpenDataset(
        title=_("Programme budgets"),
        description=_("Planned and realised budget per programme, year and funding source (APBD, APBN, partners)."),
        topic="planning",
        keywords=(_("budget"), _("APBD"), _("spending")),
    )
    serializer_class = serializers.BudgetLineSerializer
    filterset_class = filters.BudgetLineFilterSet
    ordering_fields = ["year", "planned_amount", "realised_amount"]


class IndicatorViewSet(RecordViewSet):
    queryset = Indicator.objects.all()
    open_data = OpenDataset(
        title=_("Performance indicators"),
        description=_(
            "The smart-city indicators the walidata approved: definition, unit, method, owner agency and latest value."
        ),
        topic="performance",
        keywords=(_("indicator"), _("Satu Data"), _("performance")),
        agency="owner_agency",
    )
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilterSet
    ordering_fields = ["name_ind", "name_en", "latest_measured_on", "updated_at"]
    lookup_field = "slug"

    def get_queryset(self):
        """The building blocks a composite lists are only those the caller may see."""
        blocks = Indicator.objects.visible_to(self.request.user).only("pk", "slug", "name_ind", "name_en")
        return super().get_queryset().prefetch_related(Prefetch("building_blocks", queryset=blocks))

    def _step(self, service, **kwargs):
        indicator = service(indicator=self.get_object(), actor=self.request.user, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=indicator.pk)).data)

    @extend_schema(request=None, description=_("The producing agency submits the indicator to the walidata."))
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("pillars.submit_indicator")])
    def submit(self, request, slug=None):
        return self._step(services.indicator_submit)

    @extend_schema(request=None, description=_("The walidata approves a submitted indicator."))
    @action(detail=True, methods=["post"], permission_classes=[HasPerm("pillars.approve_indicator")])
    def approve(self, request, slug=None):
        return self._step(services.indicator_approve)

    @extend_schema(
        request=serializers.IndicatorSendBackSerializer,
        description=_("The walidata sends an indicator back to its producer, saying why."),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="send-back",
        permission_classes=[HasPerm("pillars.approve_indicator")],
    )
    def send_back(self, request, slug=None):
        params = serializers.IndicatorSendBackSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._step(services.indicator_send_back, note=params.validated_data["note"])


class DistrictViewSet(RecordViewSet):
    """The city's districts (kecamatan) with their Kemendagri codes: public reference data."""

    queryset = District.objects.all()
    open_data = OpenDataset(
        title=_("Districts (kecamatan)"),
        description=_("The city's districts with their Kemendagri and BPS codes."),
        topic="reference",
        keywords=(_("district"), _("kecamatan"), _("area code")),
    )
    serializer_class = serializers.DistrictSerializer
    filterset_class = filters.DistrictFilterSet
    ordering_fields = ["code", "name"]

    @extend_schema(
        request={"multipart/form-data": serializers.AreaFileSerializer},
        responses=inline_serializer(
            "AreaLoadResult",
            {
                "districts": fields.IntegerField(help_text=_("Districts in the file.")),
                "villages": fields.IntegerField(help_text=_("Villages in the file.")),
                "created": fields.IntegerField(help_text=_("Of those, how many were new.")),
            },
        ),
        description=_("Load districts and villages from the office's CSV file (code, name, note): all or nothing."),
    )
    @action(detail=False, methods=["post"], permission_classes=[HasPerm("pillars.add_district")])
    def load(self, request):
        params = serializers.AreaFileSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return Response(services.areas_load(content=params.validated_data["file"].read(), actor=request.user))


class VillageViewSet(RecordViewSet):
    """The city's villages (kelurahan) with their Kemendagri codes: public reference data."""

    queryset = Village.objects.all()
    open_data = OpenDataset(
        title=_("Villages (kelurahan)"),
        description=_("The city's villages with their Kemendagri and BPS codes and their district."),
        topic="reference",
        keywords=(_("village"), _("kelurahan"), _("area code")),
    )
    serializer_class = serializers.VillageSerializer
    filterset_class = filters.VillageFilterSet
    ordering_fields = ["code", "name"]


class IndicatorTargetViewSet(RecordViewSet):
    queryset = IndicatorTarget.objects.all()
    open_data = OpenDataset(
        title=_("Indicator targets"),
        description=_("The target value of each indicator for each year."),
        topic="performance",
        keywords=(_("indicator"), _("target")),
    )
    serializer_class = serializers.IndicatorTargetSerializer
    filterset_class = filters.IndicatorTargetFilterSet
    ordering_fields = ["year"]


class MeasurementViewSet(RecordViewSet):
    queryset = Measurement.objects.all()
    open_data = OpenDataset(
        title=_("Indicator measurements"),
        description=_("Each measured value of an indicator, with its date and source."),
        topic="performance",
        keywords=(_("indicator"), _("measurement"), _("statistics")),
    )
    serializer_class = serializers.MeasurementSerializer
    filterset_class = filters.MeasurementFilterSet
    ordering_fields = ["measured_on", "value"]


class DigitalServiceViewSet(RecordViewSet):
    queryset = DigitalService.objects.all()
    open_data = OpenDataset(
        title=_("Digital services"),
        description=_(
            "The applications the city runs for its citizens and its own staff: owner agency, status, "
            "platform and year launched."
        ),
        topic="services",
        keywords=(_("application"), _("e-government"), _("SPBE")),
        agency="owner_agency",
    )
    serializer_class = serializers.DigitalServiceSerializer
    filterset_class = filters.DigitalServiceFilterSet
    ordering_fields = ["name", "launched_year", "updated_at"]
    lookup_field = "slug"


class InfrastructureAssetViewSet(RecordViewSet):
    queryset = InfrastructureAsset.objects.all()
    open_data = OpenDataset(
        title=_("Digital infrastructure"),
        description=_(
            "CCTV cameras, public Wi-Fi points, towers, fibre and command centres: where they are, their "
            "status and funding."
        ),
        topic="services",
        keywords=(_("CCTV"), _("Wi-Fi"), _("infrastructure"), _("map")),
    )
    serializer_class = serializers.InfrastructureAssetSerializer
    filterset_class = filters.InfrastructureAssetFilterSet
    ordering_fields = ["name", "kind", "installed_on", "updated_at"]
    query_parameters = ("bbox", "zoom")  # read by `geojson` (so the public cache keys its entries by them)

    @extend_schema(
        description=_(
            "The assets with coordinates as a GeoJSON FeatureCollection (same filters, no pages). With bbox "
            "and zoom, one map view: the assets inside the box, nearby ones grouped per kind (a Feature with "
            "cluster true and its count), so the answer stays small however many assets there are."
        ),
        parameters=[
            OpenApiParameter("bbox", str, description=_("west,south,east,north in degrees (with zoom)")),
            OpenApiParameter("zoom", int, description=_("the map's zoom level, 0 to 20 (with bbox)")),
        ],
        responses={
            200: OpenApiResponse(
                response=inline_serializer(
                    "FeatureCollection",
                    {"type": fields.CharField(), "features": fields.ListField(child=fields.DictField())},
                ),
                description="GeoJSON FeatureCollection",
            )
        },
    )
    @action(detail=False, methods=["get"], pagination_class=None, renderer_classes=[GeoJSONRenderer, JSONRenderer])
    def geojson(self, request):
        assets = self.filter_queryset(self.get_queryset()).exclude(latitude__isnull=True)
        view = map_view_parameters(request.query_params)
        if view is None:
            return Response(feature_collection(assets, request.user))
        return Response(map_view(assets, *view, user=request.user))


class FeedbackViewSet(RecordViewSet):
    """Citizen feedback for the agency that moderates it: OPD editors read and moderate their own agencies' (a
    program's lead agency, a service's owner agency), Diskominfo every agency's. Anyone else reads only published
    messages, without name, contact or SP4N-LAPOR! ID. Citizens write through the public form, not here."""

    queryset = Feedback.objects.all()
    open_data = OpenDataset(
        title=_("Citizen feedback"),
        description=_(
            "Messages citizens sent about programmes and services that the office published, with its replies."
        ),
        topic="participation",
        keywords=(_("feedback"), _("complaint"), _("participation")),
    )
    serializer_class = serializers.FeedbackSerializer
    filterset_class = filters.FeedbackFilterSet
    ordering_fields = ["created_at", "moderated_at", "status"]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        chosen = super().get_serializer_class()
        if chosen is serializers.FeedbackSerializer and not self.request.user.has_perm("pillars.view_feedback"):
            return serializers.FeedbackPublicSerializer
        return chosen
