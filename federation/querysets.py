"""Reads of the provincial view: the followed portals and the snapshots the harvest made."""

from django.db.models import OuterRef, Subquery

from smartcity.models import PublicParentMixin
from smartcity.policy import EVERYONE, Policy, Public, RestrictedQuerySet


class FollowedPortalQuerySet(RestrictedQuerySet):
    """The cities a provincial hub compares are public: the active ones."""

    policy = Policy(public=Public(lambda queryset: queryset.filter(active=True), lambda portal: portal.active))

    def with_latest_snapshots(self):
        """Annotate `latest_id` (the last read, good or not) and `latest_ok_id` (the last good one)."""
        from .models import PortalSnapshot

        reads = PortalSnapshot.objects.filter(portal=OuterRef("pk")).order_by("-read_at", "-pk").values("pk")
        return self.annotate(latest_id=Subquery(reads[:1]), latest_ok_id=Subquery(reads.filter(ok=True)[:1]))

    def with_last_read(self):
        """Annotate `last_read_at`, `last_read_ok` and `last_reason` of the latest read, for lists (one query)."""
        from .models import PortalSnapshot

        reads = PortalSnapshot.objects.filter(portal=OuterRef("pk")).order_by("-read_at", "-pk")
        return self.annotate(
            last_read_at=Subquery(reads.values("read_at")[:1]),
            last_read_ok=Subquery(reads.values("ok")[:1]),
            last_reason=Subquery(reads.values("reason")[:1]),
        )

    def with_related(self):
        return self.with_last_read()


class PortalSnapshotQuerySet(PublicParentMixin):
    policy = Policy(public=EVERYONE, parent="portal")

    def with_related(self):
        return self.select_related("portal")
