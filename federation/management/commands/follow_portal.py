from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from federation.models import FollowedPortal
from smartcity.services import upsert


class Command(BaseCommand):
    help = "Follow another city's portal from this provincial hub (or rename it), through the followed portals' writer."

    def add_arguments(self, parser):
        parser.add_argument("base_url", help="The portal's home address, e.g. https://smartcity.solokkota.go.id/")
        parser.add_argument("name", help="The city's name, e.g. Kota Solok")

    def handle(self, *args, base_url, name, **options):
        address = base_url.strip().rstrip("/") + "/"
        try:
            portal, created = upsert(FollowedPortal, base_url=address, defaults={"name": name, "active": True})
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{'Following' if created else 'Updated'} {portal.name}: {portal.base_url}")
        )
