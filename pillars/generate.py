"""Generated portfolio records for load tests and benchmarks: realistic shapes, deterministic content.

Rows carry slugs or names starting with "gen-", so they are easy to find and remove.
"""

import datetime
from decimal import Decimal

from .choices import AssetKind, AssetStatus, Horizon, Stage
from .figures import figures_mark_changed
from .models import (
    Agency,
    DigitalService,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Measurement,
    Pillar,
    Program,
    ProgramIndicator,
)

PREFIX = "gen-"
BATCH = 2000
YEARS = range(2020, 2025)


def generated_rows_delete() -> None:
    """Remove every generated row (children first, as the foreign keys require)."""
    ProgramIndicator.objects.filter(program__slug__startswith=PREFIX).delete()
    Measurement.objects.filter(indicator__slug__startswith=PREFIX).delete()
    Indicator.objects.filter(slug__startswith=PREFIX).delete()
    InfrastructureAsset.objects.filter(name__startswith=PREFIX).delete()
    DigitalService.objects.filter(slug__startswith=PREFIX).delete()
    Program.objects.filter(slug__startswith=PREFIX).delete()


def _programs(count, pillars, agencies, rng):
    for n in range(count):
        stage = rng.choice(list(Stage))
        done = stage == Stage.COMPLETED
        yield Program(
            slug=f"{PREFIX}program-{n:06d}",
            title_ind=f"Program generasi {n}",
            title_en=f"Generated program {n}",
            pillar=rng.choice(pillars),
            lead_agency=rng.choice(agencies),
            horizon=rng.choice(list(Horizon)),
            stage=stage,
            progress=100 if done else 0 if stage == Stage.PLANNED else rng.randint(0, 95),  # the stage rule
            first_year=2020,
            last_year=2026,
            completed_on=datetime.date(2024, 6, 30) if done else None,
            publication="published",
        )


def _indicators(count, pillars, agencies, rng):
    for n in range(count):
        yield Indicator(
            slug=f"{PREFIX}indicator-{n:06d}",
            name_ind=f"Indikator generasi {n}",
            name_en=f"Generated indicator {n}",
            pillar=rng.choice(pillars),
            unit="%",
            owner_agency=rng.choice(agencies),
            publication="published",
            approval="approved",
            direction=rng.choice(["higher", "lower"]),
        )


def _targets(indicators, rng):
    for indicator in indicators:
        for year in YEARS:
            yield IndicatorTarget(indicator=indicator, year=year, value=Decimal(rng.randint(50, 100)))


def _measurements(indicators, per_indicator, rng):
    """`per_indicator` measurements per indicator, spread evenly over the five years."""
    for indicator in indicators:
        for k in range(per_indicator):
            day = datetime.date(2020, 1, 1) + datetime.timedelta(days=k * 1826 // per_indicator)
            yield Measurement(indicator=indicator, measured_on=day, value=Decimal(rng.randint(30, 100)))


def _links(programs, indicators):
    """Each program linked to one indicator (two programs per indicator), as outcome or output in turn."""
    for n, (program, indicator) in enumerate(zip(programs, (i for i in indicators for _ in range(2)), strict=False)):
        yield ProgramIndicator(program=program, indicator=indicator, role="outcome" if n % 2 else "output")


def _assets(count, rng):
    kinds = [AssetKind.WIFI, AssetKind.CCTV, AssetKind.TOWER, AssetKind.FIBER]
    for n in range(count):
        yield InfrastructureAsset(
            kind=rng.choice(kinds),
            name=f"{PREFIX}asset-{n:06d}",
            status=rng.choice(list(AssetStatus)),
            latitude=Decimal(f"{rng.uniform(-1.05, -0.85):.6f}"),
            longitude=Decimal(f"{rng.uniform(100.3, 100.5):.6f}"),
            publication="published",
        )


def _services(count, pillars, agencies, rng):
    for n in range(count):
        yield DigitalService(
            slug=f"{PREFIX}service-{n:06d}",
            name=f"{PREFIX}Aplikasi {n}",
            pillar=rng.choice(pillars),
            owner_agency=rng.choice(agencies),
            status="live",
            launched_year=rng.choice(list(YEARS)),
            publication="published",
        )


def insert_batches(model, rows, progress):
    """bulk_create `rows` (an iterable) in batches, telling `progress(n)` of each."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            progress(len(batch))
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        progress(len(batch))


def portfolio_generate(*, programs: int, measurements_per_indicator: int, rng, progress) -> dict:
    """Add `programs` programs, half as many indicators with targets and measurements, a quarter as many
    assets and a tenth as many services, replacing earlier generated rows (smartcity/generate.py runs it)."""
    pillars, agencies = list(Pillar.objects.all()), list(Agency.objects.all())
    if not agencies:
        raise ValueError("Load the demo data (or create an agency) first: generated programs need agencies.")
    generated_rows_delete()
    insert_batches(Program, _programs(programs, pillars, agencies, rng), progress)
    insert_batches(Indicator, _indicators(programs // 2, pillars, agencies, rng), progress)
    indicators = Indicator.objects.filter(slug__startswith=PREFIX).only("pk")
    insert_batches(IndicatorTarget, _targets(indicators, rng), progress)
    insert_batches(Measurement, _measurements(indicators, measurements_per_indicator, rng), progress)
    generated_programs = Program.objects.filter(slug__startswith=PREFIX).order_by("slug").only("pk")
    insert_batches(ProgramIndicator, _links(generated_programs, indicators.order_by("slug")), progress)
    insert_batches(InfrastructureAsset, _assets(programs // 4, rng), progress)
    insert_batches(DigitalService, _services(programs // 10, pillars, agencies, rng), progress)
    figures_mark_changed()  # bulk inserts send no signals
    return {
        "programs": programs,
        "indicators": programs // 2,
        "measurements": programs // 2 * measurements_per_indicator,
        "assets": programs // 4,
        "services": programs // 10,
        "program indicators": programs // 2 * 2,
    }


def expected_rows(programs: int, measurements_per_indicator: int = 10) -> int:
    """How many rows portfolio_generate inserts."""
    indicators = programs // 2
    links = indicators * 2
    return (
        programs + indicators * (1 + measurements_per_indicator + len(YEARS)) + programs // 4 + programs // 10 + links
    )


# The generated dataset's interface, the same in every app's generate.py (smartcity/generate.py runs them in the
# apps' order and deletes in the reverse one).
def generate(*, programs: int, measurements_per_indicator: int, rng, progress) -> dict:
    """The portfolio for `programs` programs; the row counts by kind."""
    return portfolio_generate(
        programs=programs, measurements_per_indicator=measurements_per_indicator, rng=rng, progress=progress
    )


def generated_delete() -> None:
    generated_rows_delete()
