"""Move each asset's free-text operator to a partner (0008 then drops the text and renames the link).

A name that matches a partner (by name or short name, ignoring case) links to it; any other name
becomes a new draft partner for staff to review, so no operator recorded before is lost.
"""

from django.db import migrations
from django.db.models import Q
from django.utils.text import slugify


def free_slug(partner_model, text: str) -> str:
    base = slugify(text)[:70] or "operator"
    slug, n = base, 2
    while partner_model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def link_operators(apps, schema_editor):
    asset_model = apps.get_model("pillars", "InfrastructureAsset")
    partner_model = apps.get_model("partnerships", "Partner")
    for name in asset_model.objects.exclude(operator="").values_list("operator", flat=True).distinct():
        text = name.strip()
        partner = partner_model.objects.filter(Q(name__iexact=text) | Q(short_name__iexact=text)).first()
        if partner is None:
            partner = partner_model.objects.create(
                name=text[:200], slug=free_slug(partner_model, text), kind="private", publication="draft"
            )
        asset_model.objects.filter(operator=name).update(operator_partner=partner)


def unlink_operators(apps, schema_editor):
    asset_model = apps.get_model("pillars", "InfrastructureAsset")
    for asset in asset_model.objects.exclude(operator_partner=None).select_related("operator_partner"):
        asset.operator = asset.operator_partner.name[:160]
        asset.save(update_fields=["operator"])


class Migration(migrations.Migration):
    dependencies = [("pillars", "0006_asset_operator_partner")]

    # Its own migration, so its own transaction: PostgreSQL refuses to alter a table with pending
    # foreign-key checks from updates made in the same transaction.
    operations = [migrations.RunPython(link_operators, unlink_operators)]
