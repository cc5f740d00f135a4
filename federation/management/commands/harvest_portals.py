from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from federation.services import portals_harvest


class Command(BaseCommand):
    help = "Read every followed portal now, as the hourly job does (on a provincial hub: PROVINCIAL_HUB=true)."

    def handle(self, *args, **options):
        if not settings.PROVINCIAL_HUB:
            raise CommandError("This portal is not a provincial hub: set PROVINCIAL_HUB=true to harvest.")
        for snapshot in portals_harvest():
            state = "read in full" if snapshot.ok else f"stale: {snapshot.reason}"
            self.stdout.write(f"{snapshot.portal.name}: {state} ({snapshot.duration_ms} ms)")
