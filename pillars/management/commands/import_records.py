from pathlib import Path

import tablib
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from pillars import resources

RESOURCES = {
    "programs": resources.ProgramResource,
    "budget-lines": resources.BudgetLineResource,
    "indicators": resources.IndicatorResource,
    "measurements": resources.MeasurementResource,
    "services": resources.DigitalServiceResource,
    "assets": resources.InfrastructureAssetResource,
    "activities": resources.ActivityResource,
}


class Command(BaseCommand):
    help = (
        "Import portfolio records from a CSV or XLSX file, with the same rules as the admin's import. A dry run "
        "comes first; when any row is bad, the errors are listed and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="Whose rights the import runs with (a username).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, import nothing.")

    def handle(self, *args, kind, path, user, dry_run, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {user!r}.")
        dataset = self._read(path)
        resource = RESOURCES[kind]()
        missing = [name for name in resource.get_import_id_fields() if name not in (dataset.headers or [])]
        if missing:
            raise CommandError(f"{path}: missing column(s) {', '.join(missing)}; nothing imported.")
        for final in [True] if dry_run else [True, False]:
            with tqdm(
                total=len(dataset),
                unit="rows",
                file=self.stderr,
                disable=options["verbosity"] == 0,
                desc="check" if final else "import",
            ) as bar:
                resource.after_import_row = lambda row, result, **kw: bar.update()
                result = resource.import_data(dataset, dry_run=final, use_transactions=True, user=actor)
            self._fail_on_errors(result)
        counts = result.totals
        verb = "would import" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {counts['new']} new, {counts['update']} updated."))

    def _read(self, path: Path) -> tablib.Dataset:
        formats = {".csv": ("csv", "r"), ".xlsx": ("xlsx", "rb")}
        if path.suffix.lower() not in formats or not path.is_file():
            raise CommandError(f"{path}: give an existing .csv or .xlsx file.")
        fmt, mode = formats[path.suffix.lower()]
        try:
            with path.open(mode) as handle:
                return tablib.Dataset().load(handle.read(), format=fmt)
        except Exception as error:  # tablib raises many kinds for a malformed file; all mean "unreadable"
            raise CommandError(f"{path}: not a readable {fmt.upper()} file ({error}).") from error

    def _fail_on_errors(self, result) -> None:
        problems = [f"file: {error.error}" for error in result.base_errors]  # e.g. a column the rows need is missing
        problems += [f"row {number}: {error.error}" for number, errors in result.row_errors() for error in errors]
        problems += [f"row {row.number}: {row.error_dict}" for row in result.invalid_rows]
        if problems:
            raise CommandError("Nothing imported; fix these rows:\n" + "\n".join(problems[:50]))
