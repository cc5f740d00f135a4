import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from frameworks.services import FRAMEWORK_FILES, framework_file, framework_load


class Command(BaseCommand):
    help = (
        "Create or update an assessment framework from a JSON data file (or a shipped one by name: "
        + ", ".join(FRAMEWORK_FILES)
        + "), through the framework's writer. A file that breaks a rule (weights not adding up to 100, "
        "overlapping bands) changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a shipped framework's name or the path of a JSON file")

    def handle(self, *args, source, **options):
        try:
            data = framework_file(source) if source in FRAMEWORK_FILES else json.loads(Path(source).read_text())
            framework = framework_load(data=data, actor=None)
        except (OSError, ValueError) as error:
            raise CommandError(f"{source}: {error}") from error
        except ValidationError as error:
            raise CommandError(f"{source}: {'; '.join(error.messages)}") from error
        count = framework.indicators.count()
        self.stdout.write(self.style.SUCCESS(f"{framework.slug}: {count} indicators loaded."))
