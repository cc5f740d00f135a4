"""The generated dataset for load tests and benchmarks, at one scale: the portfolio (pillars/generate.py), one
MoU per twenty programs (partnerships/generate.py) and one evaluation finding with its follow-up per ten
programs (evaluations/generate.py). Deterministic for a seed; generated rows replace earlier ones."""

import random

from django.db import connection, transaction

from evaluations.generate import findings_generate, generated_findings_delete
from partnerships.generate import generated_mous_delete, mous_generate
from pillars.generate import expected_rows as portfolio_rows
from pillars.generate import generated_rows_delete, portfolio_generate

from . import cache as public_cache

ROWS_PER_MOU = 6  # the MoU, its party, two scope areas, a linked program, a commitment
ROWS_PER_FINDING = 2  # the finding and its follow-up


def dataset_generate(*, programs: int, measurements_per_indicator: int = 10, seed: int = 1, progress=None) -> dict:
    """Generate the dataset for `programs` programs in one transaction; `progress(n)` hears of each batch."""
    progress = progress or (lambda n: None)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    with transaction.atomic():
        generated_findings_delete()
        generated_mous_delete()  # MoUs link generated programs: they go first
        counts = portfolio_generate(
            programs=programs, measurements_per_indicator=measurements_per_indicator, rng=rng, progress=progress
        )
        counts["mous"] = mous_generate(programs // 20, rng=rng, progress=progress)
        counts["findings"] = findings_generate(programs // 10, rng=rng, progress=progress)
        public_cache.invalidate_on_commit()  # bulk inserts send no signals
    _analyze()
    return counts


def dataset_delete() -> None:
    with transaction.atomic():
        generated_findings_delete()
        generated_mous_delete()
        generated_rows_delete()
        public_cache.invalidate_on_commit()


def expected_rows(programs: int, measurements_per_indicator: int = 10) -> int:
    """How many rows dataset_generate inserts, for a progress bar's total."""
    return (
        portfolio_rows(programs, measurements_per_indicator)
        + programs // 20 * ROWS_PER_MOU
        + programs // 10 * ROWS_PER_FINDING
    )


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would later: with stale ones
    PostgreSQL sorts whole tables where an index would do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
