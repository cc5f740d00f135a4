"""The generated dataset for load tests and benchmarks, at one scale: every app's part, from its generate.py
(found by smartcity/discovery.py): the portfolio (pillars), one MoU per twenty programs (partnerships) and one
evaluation finding with its follow-up per ten programs (evaluations). Each part offers `generate()`,
`generated_delete()` and `expected_rows()`. Deterministic for a seed; generated rows replace earlier ones."""

import random

from django.db import connection, transaction

from . import cache as public_cache
from .discovery import app_modules


def _parts() -> list:
    """The apps' generate.py modules, in the apps' order: each builds on the rows of those before it."""
    return app_modules("generate")


def _delete_all() -> None:
    for part in reversed(_parts()):  # the rows that link earlier apps' rows go first
        part.generated_delete()


def dataset_generate(*, programs: int, measurements_per_indicator: int = 10, seed: int = 1, progress=None) -> dict:
    """Generate the dataset for `programs` programs in one transaction; `progress(n)` hears of each batch."""
    progress = progress or (lambda n: None)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    counts = {}
    with transaction.atomic():
        _delete_all()
        for part in _parts():
            counts |= part.generate(
                programs=programs, measurements_per_indicator=measurements_per_indicator, rng=rng, progress=progress
            )
        public_cache.invalidate_on_commit()  # bulk inserts send no signals
    _analyze()
    return counts


def dataset_delete() -> None:
    with transaction.atomic():
        _delete_all()
        public_cache.invalidate_on_commit()


def expected_rows(programs: int, measurements_per_indicator: int = 10) -> int:
    """How many rows dataset_generate inserts, for a progress bar's total."""
    return sum(part.expected_rows(programs, measurements_per_indicator) for part in _parts())


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would later: with stale ones
    PostgreSQL sorts whole tables where an index would do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
