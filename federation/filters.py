"""FilterSets of the provincial view's API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from smartcity.filters import FilterSet

from .models import FollowedPortal, PortalSnapshot


class FollowedPortalFilterSet(FilterSet):
    class Meta:
        model = FollowedPortal
        fields = ["id", "active"]


class PortalSnapshotFilterSet(FilterSet):
    read_after = django_filters.IsoDateTimeFilter(field_name="read_at", lookup_expr="gte", label=_("Read from"))

    class Meta:
        model = PortalSnapshot
        fields = ["id", "ok"]
        unfiltered = {
            "data": "a document, not a value",
            "duration_ms": "not useful",
        }
