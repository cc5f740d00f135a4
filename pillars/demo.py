"""Demo records of the pillars app: a demo city built on the facts in ../shared/seeds/.

Padang's facts (the 92.30 % achievement target for 2024, Wi-Fi in every kelurahan by 2021, the
Pantai Air Manis visit, 80 towers) come with figures of other seed cities told as the demo city's
(Pariaman's 12 applications of 2018, Pematang Siantar's CCTV and Telkom CSR Wi-Fi). Yearly figures
other than those are invented to fill the charts, and marked "(demo)" where they are shown.
The demo is current whatever the day it is loaded: each indicator's series runs to the last full year (continued
past its authored years by its last step, slowing), and the action plan has activities in last year and this year.
Idempotent: running it again updates the same rows instead of adding new ones. Every row is written through
its model's writer (smartcity.services.upsert), with the same rules and validation as any other door.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from smartcity.services import upsert

from .demo_data import (
    AGENCIES,
    ASSETS,
    INDICATORS,
    KECAMATAN,
    PROGRAM_INDICATORS,
    PROGRAMS,
    SERVICES,
    SHARED_SERVICE,
    TOWER_COUNT,
)
from .models import (
    Activity,
    Agency,
    BudgetLine,
    DigitalService,
    District,
    Feedback,
    Indicator,
    IndicatorTarget,
    InfrastructureAsset,
    Masterplan,
    Measurement,
    Milestone,
    Pillar,
    Program,
    ProgramIndicator,
    Village,
)


def _load_agencies():
    for slug, name, acronym in AGENCIES:
        upsert(Agency, slug=slug, defaults={"name": name, "acronym": acronym})
    return {a.slug: a for a in Agency.objects.all()}


def _load_programs(agencies, pillars, masterplan):
    for slug, pillar, subs, lead, horizon, stage, progress, (first, last), title_ind, title_en, text in PROGRAMS:
        program, _ = upsert(
            Program,
            slug=slug,
            defaults={
                "pillar": pillars[pillar],
                "lead_agency": agencies[lead],
                "horizon": horizon,
                "stage": stage,
                "progress": progress,
                "first_year": first,
                "last_year": last,
                "title_ind": title_ind,
                "title_en": title_en,
                "description_ind": text,
                "masterplan": masterplan,
                "publication": "published",
                "completed_on": datetime.date(last, 12, 15) if stage == "completed" else None,
                "sub_dimensions": pillars[pillar].sub_dimensions.filter(slug__in=subs),
            },
        )
        this_year = timezone.localdate().year
        for year in range(first, min(last, this_year) + 1):
            upsert(
                BudgetLine,
                program=program,
                year=year,
                source="apbd",
                defaults={
                    "planned_amount": 250_000_000 * (1 + len(slug) % 4),
                    "note": "demo",
                    "smart_city": True,
                    "realised_amount": 0 if year >= this_year else 200_000_000 * (1 + len(slug) % 4),
                },
            )
        upsert(
            Milestone,
            program=program,
            title_ind="Kajian dan perencanaan",
            defaults={
                "title_en": "Study and planning",
                "due_on": datetime.date(first, 6, 30),
                "done_on": datetime.date(first, 6, 20),
            },
        )
        upsert(
            Milestone,
            program=program,
            title_ind="Operasional penuh",
            defaults={
                "title_en": "Fully operational",
                "due_on": datetime.date(last, 12, 31),
                "done_on": datetime.date(last, 12, 15) if stage == "completed" else None,
            },
        )
    upsert(
        BudgetLine,
        program=Program.objects.get(slug="wifi-kelurahan"),
        year=2020,
        source="csr",
        defaults={"planned_amount": 750_000_000, "realised_amount": 750_000_000, "note": "CSR PT Telkom Indonesia"},
    )
    upsert(
        BudgetLine,
        program=Program.objects.get(slug="masterplan-smart-city"),
        year=2019,
        source="apbn",
        defaults={"planned_amount": 500_000_000, "realised_amount": 480_000_000, "note": "Kemenkominfo"},
    )


def demo_years() -> tuple[int, int]:
    """(the last full year, this year) on the day the demo is loaded: the latest measurements and evaluation are
    last year's; the action plan runs in both."""
    this_year = timezone.localdate().year
    return this_year - 1, this_year


def continued(series: dict[int, str], until: int, *, percent: bool) -> dict[int, Decimal]:
    """An authored demo series continued to `until` by its last step, halving each year (a trend that slows), kept
    within 0–100 for a percentage and at the authored number of decimals. Demo figures, marked as such."""
    values = {year: Decimal(value) for year, value in series.items()}
    years = sorted(values)
    step = values[years[-1]] - values[years[-2]] if len(years) > 1 else Decimal(0)
    exponent = Decimal(1).scaleb(values[years[-1]].as_tuple().exponent)
    for year in range(years[-1] + 1, until + 1):
        step /= 2
        value = max(Decimal(0), values[year - 1] + step)
        values[year] = (min(value, Decimal(100)) if percent else value).quantize(exponent)
    return {year: value for year, value in values.items() if year <= until}  # nothing measured in the future


ACTION_STEPS = [  # title (id, en), weight: three steps of every program running that year, all marked demo
    ("Perencanaan dan pengadaan (demo)", "Planning and procurement (demo)", 2),
    ("Pelaksanaan di lapangan (demo)", "Delivery in the field (demo)", 1),
    ("Sosialisasi dan evaluasi (demo)", "Outreach and review (demo)", 1),
]


def _load_activities(year: int) -> None:
    """Three demo activities for each program running in `year`, owned by its lead agency, whose progress (demo
    figures) rolls up by weight (2, 1, 1) to exactly the program's own demo progress: the first step at twice
    the program's progress (at most 100 %), the other two sharing the rest."""
    for program in Program.objects.filter(first_year__lte=year, last_year__gte=year).order_by("slug"):
        first = min(100, 2 * program.progress)
        rest = 2 * program.progress - first
        for (title_ind, title_en, weight), progress in zip(ACTION_STEPS, (first, rest, rest), strict=True):
            upsert(
                Activity,
                program=program,
                year=year,
                title_ind=title_ind,
                defaults={
                    "title_en": title_en,
                    "owner_agency": program.lead_agency,
                    "weight": weight,
                    "progress": progress,
                    "target": "demo",
                },
            )


def _demo_metadata(name_ind: str, unit: str) -> dict:
    """MS-Ind metadata for a demo indicator (demo wording, to be replaced by the producing agency's)."""
    return {
        "concept": f"{name_ind} (demo).",
        "definition": f"{name_ind}, dihitung setiap tahun oleh perangkat daerah pemilik (demo).",
        "interpretation": "Semakin dekat ke target, semakin baik (demo).",
        "method": "Nilai akhir tahun dari data perangkat daerah (demo).",
        "measure": unit,
        "breakdown": "Menurut tahun (demo)",
        "building_block_variables": "Nilai akhir tahun (demo)",
        "estimation_level": "Kota",
        "availability_publication": "Kota Padang Dalam Angka (demo)",
        "producing_activity": "Pengumpulan data indikator smart city (demo)",
        "access": "terbuka",
    }


def _load_areas():
    """Padang's 11 districts from the office-style file (pillars/demo_areas.csv): Kemendagri and BPS codes, sourced."""
    from pathlib import Path

    from .services import areas_load

    return areas_load(content=(Path(__file__).parent / "demo_areas.csv").read_bytes(), actor=None)


def _load_indicators(agencies, pillars):
    for slug, pillar, name_ind, name_en, unit, direction, agency, targets, actuals in INDICATORS:
        indicator, _ = upsert(
            Indicator,
            slug=slug,
            defaults={
                "pillar": pillars.get(pillar),
                "name_ind": name_ind,
                "name_en": name_en,
                "unit": unit,
                "direction": direction,
                "owner_agency": agencies[agency],
                "is_headline": pillar is None,
                # The city's overall achievement is on track within 2 points of its target (a demo margin).
                "on_track_from": 98 if pillar is None else 100,
                "frequency": "yearly",
                "data_source": "Diskominfo (demo)",
                **_demo_metadata(name_ind, unit),
                "approval": "approved",
                "publication": "published",
            },
        )
        last_full, this_year = demo_years()
        for year, value in continued(targets, this_year, percent=unit == "%").items():
            upsert(IndicatorTarget, indicator=indicator, year=year, defaults={"value": value})
        for year, value in continued(actuals, last_full, percent=unit == "%").items():
            upsert(
                Measurement,
                indicator=indicator,
                measured_on=datetime.date(year, 12, 31),
                defaults={
                    "value": value,
                    "source_note": "demo figure"
                    if slug != "capaian-smart-city" or year != 2024
                    else "demo figure; the 2024 target of 92.30 % is Padang's own",
                },
            )


def _load_program_indicators():
    """Each demo program linked to the indicators it is meant to move, through the link writer."""
    for program, indicator, role, note in PROGRAM_INDICATORS:
        upsert(
            ProgramIndicator,
            program=Program.objects.get(slug=program),
            indicator=Indicator.objects.get(slug=indicator),
            defaults={"role": role, "note": note},
        )


def _load_services(agencies, pillars):
    for slug, name, pillar, agency, year in SERVICES:
        upsert(
            DigitalService,
            slug=slug,
            defaults={
                "name": name,
                "pillar": pillars[pillar],
                "owner_agency": agencies[agency],
                "launched_year": year,
                "status": "live",
                "audience": "internal" if slug in ("simpeg", "e-kinerja", "e-budgeting") else "public",
                "origin": "in_house",
                "origin_city": "",
                "publication": "published",
            },
        )
    slug, name, pillar, agency, year, city = SHARED_SERVICE
    upsert(
        DigitalService,
        slug=slug,
        defaults={
            "name": name,
            "pillar": pillars[pillar],
            "owner_agency": agencies[agency],
            "launched_year": year,
            "status": "live",
            "origin": "shared",
            "origin_city": city,
            "publication": "published",
        },
    )


def _load_assets():
    programs = {p.slug: p for p in Program.objects.all()}
    districts = {d.name: d for d in District.objects.all()}
    villages = {(v.district_id, v.name.casefold()): v for v in Village.objects.all()}

    def village(kecamatan, kelurahan):
        district = districts.get(kecamatan)
        return villages.get((district.pk, kelurahan.casefold())) if district is not None else None

    for kind, name, kecamatan, status, installed, _operator, funding, program, view in ASSETS:  # operator: partnerships
        kelurahan, lat, lon = KECAMATAN[kecamatan]
        upsert(
            InfrastructureAsset,
            name=name,
            defaults={
                "kind": kind,
                "district": districts.get(kecamatan),
                "village": village(kecamatan, kelurahan),
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "status": status,
                "funding_source": funding,
                "installed_on": datetime.date.fromisoformat(installed) if installed else None,
                "program": programs.get(program),
                "public_view_url": view,
                "publication": "published",
            },
        )
    spread = random.Random(2021)  # noqa: S311 - the same "random" tower sites on every run, not a secret
    for number in range(1, TOWER_COUNT + 1):
        kecamatan = spread.choice(sorted(KECAMATAN))
        kelurahan, lat, lon = KECAMATAN[kecamatan]
        upsert(
            InfrastructureAsset,
            name=f"Menara TBG {number:02d}",
            defaults={
                "kind": "tower",
                "district": districts.get(kecamatan),
                "village": village(kecamatan, kelurahan),
                "status": "active",
                "latitude": (Decimal(lat) + Decimal(spread.uniform(-0.02, 0.02))).quantize(Decimal("0.000001")),
                "longitude": (Decimal(lon) + Decimal(spread.uniform(-0.02, 0.02))).quantize(Decimal("0.000001")),
                "funding_source": "partner",
                "installed_on": datetime.date(2021, 7, 1),
                "publication": "published",
            },
        )


def _link_program_districts() -> None:
    """A demo program serves the districts its assets stand in (a real one names them in the admin)."""
    served = {}
    for slug, district in InfrastructureAsset.objects.filter(program__isnull=False, district__isnull=False).values_list(
        "program__slug", "district"
    ):
        served.setdefault(slug, set()).add(district)
    for slug, districts in sorted(served.items()):
        upsert(Program, slug=slug, defaults={"districts": District.objects.filter(pk__in=districts)})


# Citizen feedback (invented, marked demo): one published with the agency's reply, one still waiting for moderation.
FEEDBACK = [
    ("wifi-kelurahan", "Wi-Fi publik di kantor kelurahan kami cepat, tetapi mati setelah pukul 17.00. (demo)",
     "Terima kasih. Mulai bulan depan titik Wi-Fi kelurahan menyala sampai pukul 22.00. (demo)"),
    ("wifi-kelurahan", "Apakah Wi-Fi juga akan dipasang di taman kota? (demo)", ""),
]  # fmt: skip


def _load_feedback() -> None:
    """Through the public form's service and the moderation writer, once: a demo run again adds nothing."""
    from .services import feedback_submit, feedback_update

    for number, (slug, message, reply) in enumerate(FEEDBACK):
        program = Program.objects.filter(slug=slug).first()
        if program is None or Feedback.objects.filter(program=program, message=message).exists():
            continue
        feedback = feedback_submit(subject=program, message=message, sender=f"demo-{number}")
        if reply:
            feedback_update(instance=feedback, data={"status": "published", "reply": reply}, actor=None)


@transaction.atomic
def load() -> dict[str, int]:
    """Create or update the demo city's portfolio; returns how many rows each model has afterwards."""
    agencies = _load_agencies()
    pillars = {p.slug: p for p in Pillar.objects.all()}
    masterplan, _ = upsert(
        Masterplan,
        title="Masterplan Smart City Kota Padang",
        defaults={"first_year": 2019, "last_year": 2028, "regulation": "Perwako (demo)", "rpjmd_period": "2019–2024"},
    )
    _load_areas()
    _load_programs(agencies, pillars, masterplan)
    for year in demo_years():
        _load_activities(year)
    _load_indicators(agencies, pillars)
    _load_program_indicators()
    _load_services(agencies, pillars)
    _load_assets()
    _link_program_districts()
    _load_feedback()
    return {
        "agencies": Agency.objects.count(),
        "programs": Program.objects.count(),
        "activities": Activity.objects.count(),
        "indicators": Indicator.objects.count(),
        "measurements": Measurement.objects.count(),
        "services": DigitalService.objects.count(),
        "assets": InfrastructureAsset.objects.count(),
        "districts": District.objects.count(),
    }


def load_map_outlines() -> dict[str, int]:
    """The demo city's boundary and some of its districts for the map: simplified, approximate outlines drawn
    for the demo (demo_outlines.geojson), each marked so; the office uploads the official ones in the admin."""
    import json
    from pathlib import Path

    from smartcity.services import upsert

    from .models import Boundary
    from .outlines import area_geometry

    document = json.loads((Path(__file__).parent / "demo_outlines.geojson").read_text())
    for feature in document["features"]:
        properties = feature["properties"]
        upsert(
            Boundary,
            kind=properties["kind"],
            name=properties["name"],
            defaults={"code": properties["code"], "note": properties["note"], "geometry": area_geometry(feature)},
        )
    return {"map boundaries": Boundary.objects.count()}


# What `load_demo` runs of this app (smartcity/discovery.py finds each app's demo.py), in this order.
LOADERS = [load, load_map_outlines]
