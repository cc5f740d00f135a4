from django.core.management.base import BaseCommand
from django.db import transaction

from evaluations import demo as evaluations_demo
from frameworks import demo as frameworks_demo
from partnerships import demo as partnerships_demo
from pillars import demo as pillars_demo
from smartcity.opendata import open_data_build

# partnerships links programs: after pillars; evaluations looks up pillars and agencies: after both
DEMO_LOADERS = [
    pillars_demo.load,
    pillars_demo.load_map_outlines,
    partnerships_demo.load,
    evaluations_demo.load,
    frameworks_demo.load,
]


class Command(BaseCommand):
    help = (
        "Load the demo city's records (idempotent): every app's demo.py, in one transaction; then build the "
        "open-data files, so /open-data/ has its files from the first run on."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for load in DEMO_LOADERS:
                for name, count in load().items():
                    self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        index = open_data_build()
        self.stdout.write(self.style.SUCCESS(f"Open data: {len(index['datasets'])} datasets."))
