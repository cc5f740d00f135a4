"""The provincial view in the admin: followed portals (staff keep them) and the snapshots the harvest reads."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from smartcity.admin import ServiceAdmin

from .models import FollowedPortal, PortalSnapshot
from .services import portal_harvest


@admin.register(FollowedPortal)
class FollowedPortalAdmin(ServiceAdmin):
    """The other cities' portals this hub compares; the harvest reads them every hour (settings.PROVINCIAL_HUB)."""

    list_display = ["name", "base_url", "active", "last_read_at", "last_read_ok", "last_reason"]
    list_filter = ["active"]
    fields = ["name", "base_url", "active"]
    actions = ["read_now"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_last_read()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "base_url":
            kwargs["assume_scheme"] = "https"  # an address typed without a scheme is read as https
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("last read"), ordering="last_read_at")
    def last_read_at(self, obj):
        return obj.last_read_at

    @admin.display(description=_("read in full"), boolean=True)
    def last_read_ok(self, obj):
        return obj.last_read_ok

    @admin.display(description=_("reason"))
    def last_reason(self, obj):
        return obj.last_reason or ""

    @admin.action(description=_("Read the selected portals now"), permissions=["change"])
    def read_now(self, request, queryset):
        snapshots = [portal_harvest(portal=portal) for portal in queryset]
        good = sum(snapshot.ok for snapshot in snapshots)
        message = ngettext(
            "%(good)s of %(count)s portal read in full.", "%(good)s of %(count)s portals read in full.", len(snapshots)
        ) % {"good": good, "count": len(snapshots)}
        self.message_user(request, message, messages.SUCCESS if good == len(snapshots) else messages.WARNING)


@admin.register(PortalSnapshot)
class PortalSnapshotAdmin(ServiceAdmin):
    """What each harvest read: for staff to see why a portal is stale. Only the harvest writes snapshots."""

    list_display = ["portal", "read_at", "ok", "reason", "duration_ms"]
    list_filter = ["ok", "portal"]
    list_select_related = ["portal"]
    date_hierarchy = "read_at"
    fields = ["portal", "read_at", "ok", "reason", "duration_ms", "data"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
