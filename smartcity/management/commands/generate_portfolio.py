from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from smartcity.generate import dataset_delete, dataset_generate, expected_rows


class Command(BaseCommand):
    help = (
        "Generate N published programs with indicators, targets, measurements, assets and services, N/20 MoUs with "
        "commitments and N/10 evaluation findings with follow-ups, for load tests and the benchmark (rows named "
        "gen-…; earlier generated rows are replaced). --delete removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("programs", type=int, nargs="?", default=100)
        parser.add_argument("--measurements-per-indicator", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--delete", action="store_true", help="Only remove the generated rows.")

    def handle(self, *args, programs, measurements_per_indicator, seed, delete, **options):
        if delete:
            dataset_delete()
            self.stdout.write(self.style.SUCCESS("Generated rows removed."))
            return
        if programs < 1 or measurements_per_indicator < 0:
            raise CommandError("Give a positive number of programs and a non-negative number of measurements.")
        total = expected_rows(programs, measurements_per_indicator)
        with tqdm(total=total, unit="rows", disable=options["verbosity"] == 0, file=self.stderr) as bar:
            try:
                counts = dataset_generate(
                    programs=programs,
                    measurements_per_indicator=measurements_per_indicator,
                    seed=seed,
                    progress=bar.update,
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(", ".join(f"{name}: {n}" for name, n in counts.items())))
