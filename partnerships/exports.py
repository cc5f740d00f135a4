"""What the public MoU registry and partner list downloads say about each row (smartcity/downloads.py writes
them as CSV or JSON, streamed and throttled like every public list)."""

from smartcity.downloads import RecordExport

from .models import MoU, Partner


class MoUExport(RecordExport):
    """One flat record per MoU; lists (partners, scope areas...) stay lists in JSON and read "a; b" in CSV."""

    columns = (
        "slug",
        "title_ind",
        "title_en",
        "status",
        "city_number",
        "partners",
        "partner_numbers",
        "signed_on",
        "signed_place",
        "signed_online",
        "valid_from",
        "valid_until",
        "scope_areas",
        "pillars",
        "programs",
        "updated_at",
    )

    def record(self, mou: MoU) -> dict:
        """Reads only what MoU.objects.with_related() prefetches."""
        parties = list(mou.parties.all())
        return {
            "slug": mou.slug,
            "title_ind": mou.title_ind,
            "title_en": mou.title_en,
            "status": mou.status,
            "city_number": mou.city_number,
            "partners": [party.partner.name for party in parties],
            "partner_numbers": [party.partner_number for party in parties if party.partner_number],
            "signed_on": mou.signed_on,
            "signed_place": mou.signed_place,
            "signed_online": mou.signed_online,
            "valid_from": mou.valid_from,
            "valid_until": mou.valid_until,
            "scope_areas": [area.slug for area in mou.scope_areas.all()],
            "pillars": [pillar.slug for pillar in mou.pillars.all()],
            "programs": [program.slug for program in mou.programs.all()],
            "updated_at": mou.updated_at,
        }


class PartnerExport(RecordExport):
    """One record per published partner; never its contacts."""

    columns = ("slug", "name", "short_name", "kind", "website", "public_mou_count", "updated_at")

    def record(self, partner: Partner) -> dict:
        return {name: getattr(partner, name) for name in self.columns}
