"""Demo records of the partnerships app, from the news articles in ../shared/seeds/.

Idempotent: running it again updates the same rows. Every row is written through its model's writer as the
system (actor=None), so the demo holds to the same rules as staff. Runs after pillars' demo loader; programs are
linked by what their titles say and simply left out when the pillars demo has none that match. Where an article gives
no exact day, number or validity period, the demo says so in the summary rather than invent a fact.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from pillars.demo_data import ASSETS, TOWER_OPERATOR
from pillars.models import InfrastructureAsset, Pillar, Program
from pillars.services import infrastructure_asset_update
from smartcity.choices import Publication
from smartcity.services import upsert

from .choices import MoUState, PartnerKind
from .models import Commitment, MoU, Partner, ProgressReport, ScopeArea
from .services import progress_report_create

PARTNERS = [
    ("telkom", "PT Telkom Indonesia (Persero) Tbk", "Telkom", PartnerKind.STATE_OWNED, "https://www.telkom.co.id/"),
    ("tower-bersama-grup", "Tower Bersama Grup", "TBG", PartnerKind.PRIVATE, "https://www.tower-bersama.com/"),
    ("kemenkominfo", "Kementerian Komunikasi dan Informatika", "Kemenkominfo", PartnerKind.CENTRAL_GOVERNMENT, ""),
    ("pemkab-banyuwangi", "Pemerintah Kabupaten Banyuwangi", "Pemkab Banyuwangi", PartnerKind.LOCAL_GOVERNMENT, ""),
]

D = datetime.date
MOUS = [
    {
        "slug": "telkom-smart-city-2015",
        "title_ind": "Dukungan PT Telkom Indonesia untuk mewujudkan Smart City Padang",
        "title_en": "PT Telkom Indonesia's support for Smart City Padang",
        "city_signatory_name": "H. Mahyeldi",
        "city_signatory_position": "Wali Kota Padang",
        "state": MoUState.SIGNED,
        "signed_on": D(2015, 5, 30),
        "signed_place": "Bandung",
        "valid_from": D(2015, 5, 30),
        "valid_until": D(2020, 5, 29),
        "summary_ind": "Pengembangan layanan teknologi informasi agar sistem SKPD (Dishubkominfo, DPKA, Dukcapil) "
        "terkoneksi dan terintegrasi. Masa berlaku pada data demo diasumsikan lima tahun.",
        "summary_en": "Information technology services so that the agencies' systems (transport and informatics, "
        "finance and assets, civil registry) are connected and integrated. The demo assumes a five-year validity.",
        "parties": [("telkom", "Honesti Basyir", "Direktur Wholesale & International Service")],
        "scope": ["digital-applications", "data-integration"],
        "pillars": ["governance"],
        "programs": Q(title_ind__icontains="integrasi"),
    },
    {
        "slug": "tower-bersama-smart-city-2021",
        "title_ind": "Nota kesepahaman pembangunan Padang sebagai smart city bersama Tower Bersama Grup",
        "title_en": "MoU with Tower Bersama Grup on building Padang as a smart city",
        "city_signatory_name": "Hendri Septa",
        "city_signatory_position": "Wali Kota Padang",
        "state": MoUState.SIGNED,
        "signed_on": D(2021, 7, 26),
        "signed_online": True,
        "valid_from": D(2021, 7, 26),
        "valid_until": D(2026, 12, 31),
        "summary_ind": "Ditandatangani secara daring. Ruang lingkup: pengembangan aplikasi digital, infrastruktur "
        "komunikasi dan fiber optik, integrasi CCTV dan command center; ke depan pemanfaatan 5G. Tanggal dan masa "
        "berlaku pada data demo adalah perkiraan (berita: Senin, Juli 2021).",
        "summary_en": "Signed online. Scope: digital applications, communication infrastructure and fiber optic, "
        "CCTV integration and the command center; 5G later on. The day and validity in the demo are estimates "
        "(news: a Monday, July 2021).",
        "parties": [("tower-bersama-grup", "Budianto Purwahjo", "Direktur Tower Bersama Grup")],
        "scope": ["digital-applications", "communication-infrastructure", "cctv-integration", "command-center"],
        "pillars": ["governance", "living"],
        "programs": Q(title_ind__icontains="cctv") | Q(title_ind__icontains="command center"),
        "commitments": [
            {
                "partner": "tower-bersama-grup",
                "description_ind": "Menara telekomunikasi Tower Bersama Grup di Kota Padang",
                "description_en": "Tower Bersama Grup telecommunication towers in the city",
                "target_quantity": Decimal(80),
                "unit_ind": "menara",
                "unit_en": "towers",
                "pillar": "living",
                "reports": [(D(2021, 7, 31), Decimal(80), "80 menara di beberapa titik Kota Padang hingga Juli 2021.")],
            }
        ],
    },
    {
        "slug": "kemenkominfo-masterplan-2023",
        "title_ind": "Penyusunan masterplan smart city bersama Kementerian Komunikasi dan Informatika",
        "title_en": "Drafting the smart-city masterplan with the Ministry of Communication and Informatics",
        "city_signatory_position": "Wali Kota",
        "state": MoUState.SIGNED,
        "signed_on": D(2023, 3, 1),
        "valid_from": D(2023, 3, 1),
        "valid_until": D(2028, 2, 29),
        "summary_ind": "Kemenkominfo melakukan sinkronisasi dan penyusunan masterplan smart city, dengan anggaran "
        "kementerian (contoh dari Kota Pematang Siantar, 2023). Tanggal pada data demo adalah perkiraan.",
        "summary_en": "The ministry synchronises and drafts the smart-city masterplan from its own budget (as in "
        "Pematang Siantar, 2023). The date in the demo is an estimate.",
        "parties": [("kemenkominfo", "", "")],
        "scope": ["masterplan-drafting"],
        "pillars": [],
        "programs": Q(title_ind__icontains="masterplan"),
        "commitments": [
            {
                "partner": "kemenkominfo",
                "description_ind": "Dokumen masterplan smart city yang selaras dengan pemerintah pusat",
                "description_en": "A smart-city masterplan aligned with the central government",
                "target_quantity": Decimal(1),
                "unit_ind": "dokumen",
                "unit_en": "document",
                "pillar": None,
                "reports": [],
            }
        ],
    },
    {
        "slug": "telkom-csr-wifi-2023",
        "title_ind": "Wi-Fi publik dari CSR PT Telkom Indonesia",
        "title_en": "Public Wi-Fi from PT Telkom Indonesia's CSR",
        "city_signatory_position": "Wali Kota",
        "state": MoUState.SIGNED,
        "signed_on": D(2023, 1, 16),
        "valid_from": D(2023, 1, 16),
        "valid_until": D(2025, 12, 31),
        "summary_ind": "Wifi station untuk keterbukaan informasi publik, dibiayai CSR Telkom; tahap awal smart city "
        "bersama CCTV (contoh dari Kota Pematang Siantar, 2023). Tanggal pada data demo adalah perkiraan.",
        "summary_en": "Wi-Fi stations for open public information, paid for by Telkom's CSR; an early smart-city "
        "step alongside CCTV (as in Pematang Siantar, 2023). The date in the demo is an estimate.",
        "parties": [("telkom", "", "")],
        "scope": ["public-wifi"],
        "pillars": ["society"],
        "programs": Q(title_ind__icontains="wi-fi") | Q(title_ind__icontains="wifi"),
    },
    {
        "slug": "banyuwangi-berbagi-aplikasi",
        "title_ind": "Kerja sama berbagi informasi dan aplikasi dengan Pemerintah Kabupaten Banyuwangi",
        "title_en": "Sharing information and applications with the Banyuwangi regency government",
        "city_signatory_position": "Wali Kota",
        "state": MoUState.DRAFT,
        "valid_from": D(2018, 10, 1),
        "valid_until": D(2021, 9, 30),
        "summary_ind": "Sedang dijajaki: berbagi informasi dan aplikasi Banyuwangi untuk segera diterapkan "
        "(contoh dari Kota Pariaman, 2018).",
        "summary_en": "Being explored: sharing Banyuwangi's information and applications to put them to use soon "
        "(as in Pariaman, 2018).",
        "parties": [("pemkab-banyuwangi", "", "")],
        "scope": ["application-sharing"],
        "pillars": ["governance"],
        "programs": Q(pk__in=[]),
    },
]


def _upsert(model, lookup: dict, data: dict):
    """Create the row `lookup` names, or update it, through the model's writer as the system (actor=None)."""
    return upsert(model, defaults=data, **lookup)[0]


def _partners() -> dict[str, Partner]:
    partners = {}
    for slug, name, short_name, kind, website in PARTNERS:
        fields = {"name": name, "short_name": short_name, "kind": kind, "website": website}
        partners[slug] = _upsert(Partner, {"slug": slug}, fields | {"publication": Publication.PUBLISHED})
    return partners


def _commitments(mou: MoU, items: list[dict], partners: dict[str, Partner]) -> None:
    for item in items:
        fields = {k: v for k, v in item.items() if k not in ("partner", "pillar", "reports", "description_ind")}
        fields["pillar"] = Pillar.objects.filter(slug=item["pillar"]).first() if item["pillar"] else None
        lookup = {"mou": mou, "partner": partners[item["partner"]], "description_ind": item["description_ind"]}
        commitment = _upsert(Commitment, lookup, fields)
        for reported_on, quantity, note in item["reports"]:
            if not ProgressReport.objects.filter(commitment=commitment, reported_on=reported_on).exists():
                report = {"quantity_reached": quantity, "note": note, "reported_by": _demo_reporter()}
                progress_report_create(actor=None, commitment=commitment, reported_on=reported_on, **report)


def _demo_reporter():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="demo-diskominfo", defaults={"is_active": False})
    return user


def _mou(data: dict, partners: dict[str, Partner]) -> MoU:
    related = ("slug", "parties", "scope", "pillars", "programs", "commitments")
    fields = {k: v for k, v in data.items() if k not in related} | {"publication": Publication.PUBLISHED}
    fields |= {
        "parties": [
            {"partner": partners[slug], "signatory_name": signatory, "signatory_position": position}
            for slug, signatory, position in data["parties"]
        ],
        "scope_areas": ScopeArea.objects.filter(slug__in=data["scope"]),
        "pillars": Pillar.objects.filter(slug__in=data["pillars"]),
        "programs": Program.objects.filter(data["programs"]),  # none yet is fine: the pillars demo grows
    }
    mou = _upsert(MoU, {"slug": data["slug"]}, fields)
    _commitments(mou, data.get("commitments", []), partners)
    return mou


@transaction.atomic
def _link_operated_assets(partners) -> None:
    """The demo assets' operators (named by partner slug in pillars' demo data) become links to partners."""
    operators = {name: partners.get(operator) for _kind, name, _kecamatan, _status, _installed, operator, *_ in ASSETS}
    towers = InfrastructureAsset.objects.filter(name__startswith="Menara TBG ").values_list("name", flat=True)
    operators |= dict.fromkeys(towers, partners[TOWER_OPERATOR])
    for asset in InfrastructureAsset.objects.filter(name__in=operators):
        infrastructure_asset_update(instance=asset, data={"operator": operators[asset.name]}, actor=None)


def load() -> dict[str, int]:
    """Create or update the demo partners, MoUs, commitments and progress; returns the row counts afterwards."""
    partners = _partners()
    for data in MOUS:
        _mou(data, partners)
    _link_operated_assets(partners)
    return {
        "partners": Partner.objects.count(),
        "mous": MoU.objects.count(),
        "commitments": Commitment.objects.count(),
        "progress reports": ProgressReport.objects.count(),
    }


LOADERS = [load]  # what `load_demo` runs of this app (smartcity/discovery.py finds each app's demo.py)
