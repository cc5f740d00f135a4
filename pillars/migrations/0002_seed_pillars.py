"""Create the six pillars and their eighteen sub-dimensions from pillars/reference.py."""

from django.db import migrations


def create_pillars(apps, schema_editor):
    from pillars.reference import PILLARS

    Pillar = apps.get_model("pillars", "Pillar")
    SubDimension = apps.get_model("pillars", "SubDimension")
    for data in PILLARS:
        # pillars/reference.py names the columns as they are now (`name_ind`); here they are still `name_id`
        # (renamed by 0030_indonesian_suffix_ind).
        fields = {_then(k): v for k, v in data.items() if k not in ("slug", "sub_dimensions")}
        pillar, _ = Pillar.objects.update_or_create(slug=data["slug"], defaults=fields)
        for order, (slug, name_id, name_en) in enumerate(data["sub_dimensions"], start=1):
            SubDimension.objects.update_or_create(
                slug=slug, defaults={"pillar": pillar, "order": order, "name_id": name_id, "name_en": name_en}
            )


def _then(name: str) -> str:
    return name.removesuffix("_ind") + "_id" if name.endswith("_ind") else name


def remove_pillars(apps, schema_editor):
    apps.get_model("pillars", "SubDimension").objects.all().delete()
    apps.get_model("pillars", "Pillar").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pillars", "0001_initial")]

    operations = [migrations.RunPython(create_pillars, remove_pillars)]
