"""Demo records of the assessment frameworks and external indices: the SPBE structure from its data file, two
years of the city's SPBE self-assessment and a Kompas IKCI series. Every level and value is a DEMO FIGURE, not the
city's official result. Idempotent; written through the writers with actor=None (the system)."""

from decimal import Decimal

from smartcity.services import upsert, writer_for

from .frameworks import framework_file, framework_load
from .models import ExternalIndex, ExternalIndexValue, SelfAssessment

PUBLISHED = "published"
# year: (self-assessed level per domain code, assessors' level per domain code or None)
SPBE_YEARS = {
    2022: ({"kebijakan-internal": 3, "tata-kelola": 2, "manajemen": 2, "layanan": 3}, {"kebijakan-internal": 3,
           "tata-kelola": 2, "manajemen": 2, "layanan": 3}),
    2023: ({"kebijakan-internal": 4, "tata-kelola": 3, "manajemen": 3, "layanan": 4}, None),
}  # fmt: skip
IKCI = {2019: ("58.20", 41), 2020: ("60.45", 35), 2021: ("61.10", 33), 2022: ("63.75", 27), 2023: ("65.02", 24)}


def _spbe_assessment(framework, year, levels, assessed):
    scores = [
        {
            "indicator": indicator.number,
            "target_level": 4,
            "self_level": levels[indicator.aspect.domain.code],
            "justification": "Bukti dukung terlampir (demo).",
        }
        for indicator in framework.indicators.select_related("aspect__domain")
    ]
    writer = writer_for(SelfAssessment)
    existing = SelfAssessment.objects.filter(framework=framework, year=year).first()
    data = {"summary_id": "Angka demo: bukan hasil resmi.", "summary_en": "Demo figures: not the official results.",
            "publication": PUBLISHED, "scores": scores}  # fmt: skip
    if existing is None:
        assessment = writer.create(data={"framework": framework, "year": year, **data}, actor=None)
    else:
        assessment = writer.update(instance=existing, data=data, actor=None)
    if assessed:
        from .frameworks import self_assessment_assess

        by_number = [{"indicator": s["indicator"], "assessor_level": assessed[d]} for s, d in
                     zip(scores, [i.aspect.domain.code for i in framework.indicators.select_related("aspect__domain")],
                         strict=True)]  # fmt: skip
        self_assessment_assess(assessment=assessment, actor=None, scores=by_number)


def load() -> dict[str, int]:
    data = framework_file("spbe-2020")
    framework = framework_load(data={**data, "publication": PUBLISHED}, actor=None)
    for year, (levels, assessed) in SPBE_YEARS.items():
        _spbe_assessment(framework, year, levels, assessed)
    ikci, _ = upsert(
        ExternalIndex,
        slug="ikci",
        defaults={
            "name_id": "Indeks Kota Cerdas Indonesia (IKCI)",
            "name_en": "Indonesian Smart City Index (IKCI)",
            "publisher": "Kompas",
            "scale_min": Decimal(0),
            "scale_max": Decimal(100),
            "decimals": 2,
            "description_id": "Angka demo: bukan hasil resmi.",
            "description_en": "Demo figures: not the official results.",
            "publication": PUBLISHED,
        },
    )
    for year, (value, rank) in IKCI.items():
        upsert(ExternalIndexValue, index=ikci, year=year, defaults={"value": Decimal(value), "rank": rank,
                                                                    "ranked_among": 98})  # fmt: skip
    return {
        "framework indicators": framework.indicators.count(),
        "self-assessments": SelfAssessment.objects.count(),
        "external index values": ExternalIndexValue.objects.count(),
    }
