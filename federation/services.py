"""Writes of the provincial view (harvest.py reads the portals): the followed portals, which staff
keep through the admin and the API, and the snapshots, which only the harvest writes (actor=None, the system)."""

import logging
import time

from django.conf import settings
from django.utils import timezone

from smartcity.services import Writer, register, writer_for

from . import harvest
from .models import FollowedPortal, PortalSnapshot

logger = logging.getLogger(__name__)

# Snapshots kept per portal: two days of hourly reads. The last good one is kept whatever its age.
KEEP_SNAPSHOTS = 48


def followed_portal_rules(*, before, after, many, actor) -> None:
    """Only http(s) portals on addresses the hub may call (see harvest.base_url_check), checked whenever the
    address is set or changed."""
    if after is not None and (before is None or before.base_url != after.base_url):
        harvest.base_url_check(after.base_url)


class FollowedPortalWriter(Writer):
    """A portal's address is kept as its home address with one trailing slash, so one portal is followed once."""

    def create(self, *, data, actor):
        return super().create(data=_normalised(data), actor=actor)

    def update(self, *, instance, data, actor, read_version=None):
        return super().update(instance=instance, data=_normalised(data), actor=actor, read_version=read_version)


def _normalised(data: dict) -> dict:
    if isinstance(data.get("base_url"), str):
        data = {**data, "base_url": data["base_url"].strip().rstrip("/") + "/"}
    return data


FOLLOWED_PORTAL = register(FollowedPortalWriter(FollowedPortal, rules=followed_portal_rules))
# Snapshots are the harvest's record of what it read: staff read them, nobody edits them.
PORTAL_SNAPSHOT = register(Writer(PortalSnapshot))


def portal_harvest(*, portal: FollowedPortal) -> PortalSnapshot:
    """Read one followed portal now and keep what was read as a snapshot; a portal that cannot be read gets a
    snapshot with the reason and no data (never an exception), and older snapshots beyond KEEP_SNAPSHOTS go."""
    started = time.monotonic()
    try:
        data, ok, reason = harvest.harvest(portal.base_url), True, ""
    except harvest.HarvestError as error:
        data, ok, reason = {}, False, str(error)
    except Exception as error:  # a portal's answer must never stop the harvest of the others
        logger.exception("harvest of %s failed unexpectedly", portal.base_url)
        data, ok, reason = {}, False, f"unexpected answer ({type(error).__name__})"
    fields = {
        "portal": portal,
        "read_at": timezone.now(),
        "ok": ok,
        "reason": harvest.printable(reason)[:300],
        "data": data,
        "duration_ms": round((time.monotonic() - started) * 1000),
    }
    snapshot = writer_for(PortalSnapshot).create(data=fields, actor=None)
    _prune(portal)
    return snapshot


def _prune(portal: FollowedPortal) -> None:
    kept = portal.snapshots.order_by("-read_at", "-pk").values_list("pk", flat=True)[:KEEP_SNAPSHOTS]
    last_ok = portal.snapshots.filter(ok=True).order_by("-read_at", "-pk").values_list("pk", flat=True)[:1]
    for old in portal.snapshots.exclude(pk__in=list(kept) + list(last_ok)):
        writer_for(PortalSnapshot).delete(instance=old, actor=None)


def portals_harvest() -> list[PortalSnapshot]:
    """Read every active followed portal, one after the other (each within its own deadline). Only a hub harvests."""
    if not settings.PROVINCIAL_HUB:
        return []
    return [portal_harvest(portal=portal) for portal in FollowedPortal.objects.public().order_by("pk")]
