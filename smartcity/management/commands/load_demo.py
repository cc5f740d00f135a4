from django.core.management.base import BaseCommand
from django.db import transaction

from smartcity.discovery import app_modules
from smartcity.opendata import open_data_build


def demo_loaders() -> list:
    """Every app's demo loaders (its demo.py's `LOADERS`), in the apps' order: partnerships links programs, so it
    comes after pillars; evaluations looks up pillars and agencies, so after both."""
    return [load for module in app_modules("demo") for load in module.LOADERS]


class Command(BaseCommand):
    help = (
        "Load the demo city's records (idempotent): every app's demo.py, in one transaction; then build the "
        "open-data files, so /open-data/ has its files from the first run on."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for load in demo_loaders():
                for name, count in load().items():
                    self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        index = open_data_build()
        self.stdout.write(self.style.SUCCESS(f"Open data: {len(index['datasets'])} datasets."))
