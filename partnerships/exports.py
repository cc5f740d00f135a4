"""The public MoU and partner lists as CSV and JSON downloads: one flat record per row, same filters as the pages."""

from collections.abc import Iterable, Iterator
from itertools import chain

from django.http import HttpResponse

from smartcity import downloads
from smartcity.spreadsheets import csv_lines

from .models import MoU, Partner


def mou_record(mou: MoU) -> dict:
    """What a download says about one MoU; reads only what MoU.objects.with_related() prefetches."""
    parties = list(mou.parties.all())
    return {
        "slug": mou.slug,
        "title_id": mou.title_id,
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


def partner_record(partner: Partner) -> dict:
    return {
        "slug": partner.slug,
        "name": partner.name,
        "short_name": partner.short_name,
        "kind": partner.kind,
        "website": partner.website,
        "public_mou_count": partner.public_mou_count,
        "updated_at": partner.updated_at,
    }


def download(request, records: Iterable[dict], *, fmt: str, filename: str) -> HttpResponse:
    """`records` as a CSV file (list values joined with "; ") or as `{"results": [...], "count": n}`, streamed
    and throttled like every whole-list download (smartcity/downloads.py)."""
    refusal = downloads.refused(request)
    if refusal:
        return refusal
    if fmt == "json":
        return downloads.streamed(downloads.json_chunks(records, wrap_count=True), fmt=fmt, filename=filename)
    return downloads.streamed(_csv(records), fmt=fmt, filename=filename)


def _csv(records: Iterable[dict]) -> Iterator[str]:
    records = iter(records)
    first = next(records, None)
    if first is None:
        yield "\ufeff"
        return
    rows = (["; ".join(v) if isinstance(v, list) else v for v in record.values()] for record in chain([first], records))
    yield from csv_lines(list(first), rows)
