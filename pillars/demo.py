"""Demo records of the pillars app: the agencies (OPD) of the demo city, Kota Padang.

Idempotent: running it again updates the same rows instead of adding new ones.
"""

from django.db import transaction

from .models import Agency

AGENCIES = [
    ("diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("dishub", "Dinas Perhubungan", "Dishub"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("dispar", "Dinas Pariwisata", "Dispar"),
    ("dinkes", "Dinas Kesehatan", "Dinkes"),
    ("disdik", "Dinas Pendidikan", "Disdik"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("diskopukm", "Dinas Koperasi dan UMKM", "Diskop UKM"),
    ("satpolpp", "Satuan Polisi Pamong Praja", "Satpol PP"),
]


@transaction.atomic
def load() -> dict[str, int]:
    """Create or update the demo agencies; returns how many rows each model has afterwards."""
    for slug, name, acronym in AGENCIES:
        Agency.objects.update_or_create(slug=slug, defaults={"name": name, "acronym": acronym})
    return {"agencies": Agency.objects.count()}
