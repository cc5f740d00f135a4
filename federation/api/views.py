from django.utils.translation import gettext_lazy as _

from smartcity.api.views import RecordViewSet
from smartcity.opendata import OpenDataset

from ..filters import FollowedPortalFilterSet, PortalSnapshotFilterSet
from ..models import FollowedPortal, PortalSnapshot
from .serializers import FollowedPortalSerializer, PortalSnapshotSerializer


class FollowedPortalViewSet(RecordViewSet):
    """The other cities' portals a provincial hub reads (public: the active ones); Diskominfo keeps the list."""

    queryset = FollowedPortal.objects.all()
    open_data = OpenDataset(
        title=_("Followed city portals"),
        description=_("The other cities' smart-city portals this portal reads to compare them."),
        topic="data-governance",
        keywords=(_("portal"), _("comparison"), _("harvesting")),
    )
    serializer_class = FollowedPortalSerializer
    filterset_class = FollowedPortalFilterSet
    ordering_fields = ["name", "created_at"]


class PortalSnapshotViewSet(RecordViewSet):
    """What each harvest read from a followed portal, and when; written by the harvest only."""

    queryset = PortalSnapshot.objects.all()
    open_data = OpenDataset(
        title=_("Portal readings"),
        description=_("Each reading of a followed city portal: when, whether it answered and what it said."),
        topic="data-governance",
        keywords=(_("portal"), _("comparison"), _("harvesting")),
    )
    serializer_class = PortalSnapshotSerializer
    filterset_class = PortalSnapshotFilterSet
    ordering_fields = ["read_at"]
    http_method_names = ["get", "head", "options"]
