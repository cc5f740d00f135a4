"""An asset's free-text kecamatan/kelurahan become its district/village links, then the columns go (issue 24, item 5).

Each text is matched to the existing District/Village rows by name, case- and spacing-insensitively (a village
within the asset's district when it has one). A link the asset already has is kept. Nothing is created: a name that
matches no row, or more than one, leaves the link empty and is listed in the migration's output (and the log), with
how many assets carried it, so the office can set those links in the admin. Backwards, the columns come back
filled with the linked areas' names.
"""

import logging
import sys
from collections import Counter

from django.db import migrations

logger = logging.getLogger(__name__)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _index(rows) -> dict[str, list]:
    found = {}
    for row in rows:
        found.setdefault(_key(row.name), []).append(row)
    return found


def _link(asset, districts, villages, unmatched) -> list[str]:
    """Set the asset's empty links from its texts; answers the fields set."""
    changed = []
    kecamatan, kelurahan = asset.kecamatan.strip(), asset.kelurahan.strip()
    if asset.district_id is None and kecamatan:
        found = districts.get(_key(kecamatan), [])
        if len(found) == 1:
            asset.district_id = found[0].pk
            changed.append("district")
        else:
            unmatched[("kecamatan", kecamatan)] += 1
    if asset.village_id is None and kelurahan:
        candidates = villages.get(_key(kelurahan), [])
        found = [v for v in candidates if asset.district_id in (None, v.district_id)]
        if len(found) == 1:
            asset.village_id = found[0].pk
            changed.append("village")
            if asset.district_id is None:
                asset.district_id = found[0].district_id
                changed.append("district")
        else:
            unmatched[("kelurahan", kelurahan)] += 1
    return changed


def link_areas(apps, schema_editor):
    asset_model = apps.get_model("pillars", "InfrastructureAsset")
    districts = _index(apps.get_model("pillars", "District").objects.all())
    villages = _index(apps.get_model("pillars", "Village").objects.all())
    unmatched, linked = Counter(), 0
    for asset in asset_model.objects.order_by("pk"):
        changed = _link(asset, districts, villages, unmatched)
        if changed:
            asset.save(update_fields=changed)
            linked += 1
    if schema_editor.connection.vendor == "postgresql":
        # The links' foreign-key checks are deferred; run them now, or the columns cannot be dropped in this
        # transaction ("pending trigger events").
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    if linked or unmatched:
        _report(linked, unmatched)


def _report(linked: int, unmatched: Counter) -> None:
    lines = [f"\n  Assets linked to their district/village from the kecamatan/kelurahan text: {linked}."]
    if unmatched:
        lines.append("  Names that match no district/village (or several); those links stay empty, set them in the admin:")
        lines += [f"    {column} {name!r}: {count} asset(s)" for (column, name), count in sorted(unmatched.items())]
    report = "\n".join(lines)
    sys.stdout.write(report + "\n")
    if unmatched:
        logger.warning("unmatched asset areas: %s", dict(unmatched))


def restore_texts(apps, schema_editor):
    asset_model = apps.get_model("pillars", "InfrastructureAsset")
    for asset in asset_model.objects.select_related("district", "village").order_by("pk"):
        asset.kecamatan = asset.district.name if asset.district_id else ""
        asset.kelurahan = asset.village.name if asset.village_id else ""
        asset.save(update_fields=["kecamatan", "kelurahan"])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("pillars", "0027_boundary_note_for_staff_only"),
    ]

    operations = [
        migrations.RunPython(link_areas, restore_texts),
        migrations.RemoveField(model_name="historicalinfrastructureasset", name="kecamatan"),
        migrations.RemoveField(model_name="historicalinfrastructureasset", name="kelurahan"),
        migrations.RemoveField(model_name="infrastructureasset", name="kecamatan"),
        migrations.RemoveField(model_name="infrastructureasset", name="kelurahan"),
    ]
