"""`manage.py api_shape`: every endpoint of the API with its filters and relation fields, then what breaks the one
shape (issue 18); exits non-zero when something does."""

from django.core.management.base import BaseCommand, CommandError

from smartcity.api.shape import api_shape, listing


class Command(BaseCommand):
    help = "List every API endpoint's filters and relation fields, and check they follow the one shape."

    def handle(self, *args, **options):
        endpoints, problems = api_shape()
        for line in listing(endpoints):
            self.stdout.write(line)
        found = [problem for kind in problems.values() for problem in kind]
        if found:
            raise CommandError("\n".join(["The API breaks its shape:", *found]))
        self.stdout.write(self.style.SUCCESS(f"{len(endpoints)} operations, one shape."))
