"""Create the scope areas an MoU can cover, in Indonesian and English (reference data staff may reword)."""

from django.db import migrations

SCOPE_AREAS = [
    ("digital-applications", "Pengembangan aplikasi digital", "Digital application development"),
    ("communication-infrastructure", "Infrastruktur komunikasi dan fiber optik", "Communication infrastructure and fiber optic"),
    ("cctv-integration", "Integrasi CCTV", "CCTV integration"),
    ("command-center", "Command center (pusat kendali)", "Command center"),
    ("public-wifi", "Wi-Fi publik", "Public Wi-Fi"),
    ("5g", "Jaringan 5G", "5G"),
    ("telecommunication-towers", "Menara telekomunikasi", "Telecommunication towers"),
    ("masterplan-drafting", "Penyusunan masterplan (rencana induk)", "Masterplan drafting"),
    ("application-sharing", "Berbagi pakai aplikasi", "Application sharing"),
    ("data-integration", "Integrasi data antar-OPD", "Data integration between agencies"),
    ("capacity-building", "Peningkatan kapasitas SDM", "Capacity building"),
]


def create_scope_areas(apps, schema_editor):
    ScopeArea = apps.get_model("partnerships", "ScopeArea")
    for order, (slug, name_id, name_en) in enumerate(SCOPE_AREAS, start=1):
        ScopeArea.objects.update_or_create(slug=slug, defaults={"order": order, "name_id": name_id, "name_en": name_en})


def remove_scope_areas(apps, schema_editor):
    apps.get_model("partnerships", "ScopeArea").objects.filter(slug__in=[slug for slug, _, _ in SCOPE_AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(create_scope_areas, remove_scope_areas)]
