"""A small city for the open-data tests: published rows in most of the public lists, and the city's boundary."""

from pillars.models import Boundary
from tests.evaluations.factories import EvaluationFactory, FindingFactory, LegalInstrumentFactory
from tests.partnerships.factories import CommitmentFactory, MoUFactory
from tests.pillars.factories import (
    ActivityFactory,
    BudgetLineFactory,
    DigitalServiceFactory,
    DistrictFactory,
    IndicatorTargetFactory,
    InfrastructureAssetFactory,
    MeasurementFactory,
    ProgramFactory,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[100.3, -1.0], [100.4, -1.0], [100.4, -0.9], [100.3, -0.9], [100.3, -1.0]]],
}


def small_city(programs: int = 1) -> None:
    outline = {"type": "Polygon", "coordinates": [SQUARE]}
    Boundary.objects.get_or_create(name="Kota Contoh", kind="city", defaults={"code": "13.71", "geometry": outline})
    for _ in range(programs):
        program = ProgramFactory(first_year=2021, last_year=2024)
        ActivityFactory(program=program)
        BudgetLineFactory(program=program, year=2022)
        MeasurementFactory()
        IndicatorTargetFactory()
        DigitalServiceFactory()
        InfrastructureAssetFactory()
        CommitmentFactory(mou=MoUFactory())
        FindingFactory(evaluation=EvaluationFactory())
        LegalInstrumentFactory()
    DistrictFactory()
