"""Demo records of the assessment frameworks and external indices: the SPBE structure from its data file (its
weights, bands and level names verified, with their sources), two years of the city's SPBE self-assessment, and the
external indices in their real shape: Kompas's IKCI with its two editions (2015 and 2018, ranked within a population
category, no bands), ITB's RKCI as a level rating, and the national EGDI and GTMI as context (the country's value,
not the city's). Every level, score and rank below is a DEMO FIGURE, not an official result, and is stored as not
verified. Idempotent; written through the writers with actor=None (the system)."""

from decimal import Decimal

from smartcity.services import upsert

from .models import ExternalIndex, ExternalIndexValue, SelfAssessment
from .services import (
    external_index_value_delete,
    framework_file,
    framework_load,
    self_assessment_create,
    self_assessment_update,
)

PUBLISHED = "published"
# year: (self-assessed level per domain code, assessors' level per domain code or None)
SPBE_YEARS = {
    2022: ({"kebijakan-internal": 3, "tata-kelola": 2, "manajemen": 2, "layanan": 3}, {"kebijakan-internal": 3,
           "tata-kelola": 2, "manajemen": 2, "layanan": 3}),
    2023: ({"kebijakan-internal": 4, "tata-kelola": 3, "manajemen": 3, "layanan": 4}, None),
}  # fmt: skip
SPBE_SECTORS = {45: "Kependudukan (demo)", 46: "Kesehatan (demo)", 47: "Perizinan (demo)"}  # the city names them
DEMO_SOURCE = "Angka demo: bukan hasil resmi, belum terverifikasi. Demo figure: not official, not verified."
BESAR = ("kota besar, 500 ribu–1 juta jiwa", "large city, 500 thousand to 1 million people")
# slug: (index fields, {year: edition fields}); ../shared/DOMAIN.md gives no official figure for any of them.
INDICES = {
    "ikci": (
        {"name_ind": "Indeks Kota Cerdas Indonesia (IKCI)", "name_en": "Indonesian Smart City Index (IKCI)",
         "publisher": "Kompas", "scope": "city", "kind": "score", "scale_min": Decimal(0), "scale_max": Decimal(100),
         "decimals": 2, "publishes_bands": False,
         "description_ind": "Dua edisi saja (2015 dan 2018); kota diperingkat dalam kategori jumlah penduduknya "
                           "(metropolitan, besar, sedang, kecil); tanpa predikat.",
         "description_en": "Two editions only (2015 and 2018); cities ranked within their population category "
                           "(metropolitan, large, medium, small); no bands.",
         "source": "Kompas, Indeks Kota Cerdas Indonesia, edisi 2015 dan 2018 (ringkasan di ../shared/DOMAIN.md)"},
        {2015: {"value": Decimal("52.40"), "rank": 9, "ranked_among": 20},
         2018: {"value": Decimal("58.20"), "rank": 6, "ranked_among": 19}},
    ),
    "rkci": (
        {"name_ind": "Rating Kota Cerdas Indonesia (RKCI)", "name_en": "Indonesian Smart City Rating (RKCI)",
         "publisher": "Institut Teknologi Bandung (ITB) dengan APEKSI", "scope": "city", "kind": "level",
         "scale_min": Decimal(1), "scale_max": Decimal(5), "decimals": 0, "publishes_bands": False,
         "description_ind": "Peringkat dua tahunan pada lima tingkat; bukan IKCI.",
         "description_en": "A rating every two years on five levels; not the IKCI.",
         "source": "ITB dan APEKSI, Rating Kota Cerdas Indonesia (ringkasan di ../shared/DOMAIN.md)"},
        {2019: {"level": 3}},
    ),
    "egdi": (
        {"name_ind": "E-Government Development Index (EGDI) PBB", "name_en": "UN E-Government Development Index (EGDI)",
         "publisher": "United Nations DESA", "scope": "national", "kind": "score", "scale_min": Decimal(0),
         "scale_max": Decimal(1), "decimals": 4, "publishes_bands": False,
         "description_ind": "Indeks nasional, dua tahunan: nilai Indonesia, bukan nilai kota.",
         "description_en": "A national index, every two years: Indonesia's value, not the city's.",
         "source": "United Nations E-Government Survey (ringkasan di ../shared/DOMAIN.md)"},
        {2022: {"value": Decimal("0.7000")}, 2024: {"value": Decimal("0.7500")}},
    ),
    "gtmi": (
        {"name_ind": "GovTech Maturity Index (GTMI) Bank Dunia", "name_en": "World Bank GovTech Maturity Index (GTMI)",
         "publisher": "World Bank", "scope": "national", "kind": "score", "scale_min": Decimal(0),
         "scale_max": Decimal(1), "decimals": 3, "publishes_bands": True,
         "description_ind": "Indeks nasional dengan kelompok A–D: nilai Indonesia, bukan nilai kota.",
         "description_en": "A national index with groups A–D: Indonesia's value, not the city's.",
         "source": "World Bank, GovTech Maturity Index (ringkasan di ../shared/DOMAIN.md)"},
        {2022: {"value": Decimal("0.700")}},
    ),
}  # fmt: skip
PEER_GROUPS = {"ikci": BESAR}


def _spbe_assessment(framework, year, levels, assessed):
    scores = [
        {
            "indicator": indicator.number,
            "target_level": 4,
            "self_level": levels[indicator.aspect.domain.code],
            "justification": "Bukti dukung terlampir (demo).",
            "subject": SPBE_SECTORS.get(indicator.number, ""),
        }
        for indicator in framework.indicators.select_related("aspect__domain")
    ]
    existing = SelfAssessment.objects.filter(framework=framework, year=year).first()
    data = {"summary_ind": "Angka demo: bukan hasil resmi.", "summary_en": "Demo figures: not the official results.",
            "publication": PUBLISHED, "scores": scores}  # fmt: skip
    if existing is None:
        assessment = self_assessment_create(data={"framework": framework, "year": year, **data}, actor=None)
    else:
        assessment = self_assessment_update(assessment=existing, data=data, actor=None)
    if assessed:
        from .services import self_assessment_assess

        by_number = [{"indicator": s["indicator"], "assessor_level": assessed[d]} for s, d in
                     zip(scores, [i.aspect.domain.code for i in framework.indicators.select_related("aspect__domain")],
                         strict=True)]  # fmt: skip
        self_assessment_assess(assessment=assessment, actor=None, scores=by_number)


def _external_index(slug: str, fields: dict, editions: dict) -> None:
    """The index (its definition's source not verified here) and exactly its demo editions, each marked demo."""
    for stale in ExternalIndexValue.objects.filter(index__slug=slug).exclude(year__in=list(editions)):
        external_index_value_delete(value=stale, actor=None)
    index, _ = upsert(ExternalIndex, slug=slug, defaults={**fields, "source_verified": False, "publication": PUBLISHED})
    peer_id, peer_en = PEER_GROUPS.get(slug, ("", ""))
    for year, edition in editions.items():
        defaults = {"value": None, "level": None, "peer_group_ind": peer_id, "peer_group_en": peer_en,
                    "source": DEMO_SOURCE, "source_verified": False, **edition}  # fmt: skip
        upsert(ExternalIndexValue, index=index, year=year, defaults=defaults)


def load() -> dict[str, int]:
    data = framework_file("spbe-2020")
    framework = framework_load(data={**data, "publication": PUBLISHED}, actor=None)
    for year, (levels, assessed) in SPBE_YEARS.items():
        _spbe_assessment(framework, year, levels, assessed)
    for slug, (fields, editions) in INDICES.items():
        _external_index(slug, fields, editions)
    return {
        "framework indicators": framework.indicators.count(),
        "self-assessments": SelfAssessment.objects.count(),
        "external index editions": ExternalIndexValue.objects.count(),
    }


LOADERS = [load]  # what `load_demo` runs of this app (smartcity/discovery.py finds each app's demo.py)
