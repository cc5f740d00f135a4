from django.core.management.base import BaseCommand
from tqdm import tqdm

from smartcity.opendata import open_data_build, public_list_views


class Command(BaseCommand):
    help = "Rebuild the open-data dumps (CSV and JSON of every public API list, and the field dictionary)."

    def handle(self, *args, **options):
        with tqdm(
            total=len(public_list_views()), unit="datasets", file=self.stderr, disable=options["verbosity"] == 0
        ) as bar:
            index = open_data_build(progress=lambda name: (bar.set_postfix_str(name), bar.update()))
        rows = sum(dataset["rows"] for dataset in index["datasets"].values())
        self.stdout.write(self.style.SUCCESS(f"{len(index['datasets'])} datasets, {rows} rows."))
