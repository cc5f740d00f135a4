"""The provincial view's models. They moved here from evaluations (issue 24) and keep their `evaluations_*` tables
(Meta.db_table, the history's table_name): the move was a change of state only."""

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from federation.querysets import FollowedPortalQuerySet, PortalSnapshotQuerySet
from smartcity.models import TimeStampedModel


class FollowedPortal(TimeStampedModel):
    """Another city's Kota Cerdas portal that this one, run as a provincial hub, reads through its public API."""

    name = models.CharField(verbose_name=_("city"), max_length=120, help_text=_("For example Kota Bukittinggi."))
    base_url = models.URLField(
        verbose_name=_("portal address"),
        max_length=200,
        unique=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The portal's home address, e.g. https://smartcity.bukittinggikota.go.id/"),
    )
    active = models.BooleanField(
        verbose_name=_("active"), default=True, help_text=_("Only active portals are read and compared.")
    )

    search_fields = ("name", "base_url")

    objects = FollowedPortalQuerySet.as_manager()
    history = HistoricalRecords(table_name="evaluations_historicalfollowedportal")

    class Meta:
        db_table = "evaluations_followedportal"
        ordering = ["name", "pk"]
        verbose_name = _("followed portal")
        verbose_name_plural = _("followed portals")

    def __str__(self):
        return self.name


class PortalSnapshot(models.Model):
    """What one harvest read from a followed portal's public API, and when; a failed read keeps the reason and no
    data (the comparison then shows the portal's last good snapshot, marked stale)."""

    portal = models.ForeignKey(
        to="federation.FollowedPortal",
        on_delete=models.CASCADE,
        related_name="snapshots",
        verbose_name=_("portal"),
    )
    read_at = models.DateTimeField(verbose_name=_("read at"))
    ok = models.BooleanField(verbose_name=_("read in full"), default=False)
    reason = models.CharField(verbose_name=_("reason"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(verbose_name=_("duration (ms)"), null=True, blank=True)
    data = models.JSONField(verbose_name=_("data"), default=dict, blank=True)

    search_fields = ("reason",)

    objects = PortalSnapshotQuerySet.as_manager()

    class Meta:
        db_table = "evaluations_portalsnapshot"
        ordering = ["-read_at", "-pk"]
        verbose_name = _("portal snapshot")
        verbose_name_plural = _("portal snapshots")
        indexes = [models.Index(fields=["portal", "-read_at"], name="evaluations_snapshot_latest")]

    def __str__(self):
        return f"{self.portal_id} · {self.read_at:%Y-%m-%d %H:%M}"
