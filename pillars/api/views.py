from rest_framework import viewsets

from pillars.filters import AgencyFilterSet, PillarFilterSet
from pillars.models import Agency, Pillar
from smartcity.api.permissions import PublicReadModelPermissions

from .serializers import AgencySerializer, PillarSerializer


class PillarViewSet(viewsets.ReadOnlyModelViewSet):
    """The six pillars with their sub-dimensions: public reference data."""

    queryset = Pillar.objects.with_related()
    serializer_class = PillarSerializer
    filterset_class = PillarFilterSet
    permission_classes = [PublicReadModelPermissions]
    ordering_fields = ["order", "slug", "name_id", "name_en"]
    lookup_field = "slug"


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The city's agencies (OPD): public reference data."""

    queryset = Agency.objects.with_related()
    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet
    permission_classes = [PublicReadModelPermissions]
    ordering_fields = ["name", "acronym"]
    lookup_field = "slug"
