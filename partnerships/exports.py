"""The public MoU and partner lists as CSV and JSON downloads: one flat record per row, same filters as the pages."""

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

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


def csv_response(records: list[dict], filename: str) -> HttpResponse:
    """A CSV file with a header row; list values are joined with "; "."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a BOM, so spreadsheet programs read the UTF-8 names right
    if records:
        writer = csv.DictWriter(response, fieldnames=list(records[0]))
        writer.writeheader()
        for record in records:
            writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in record.items()})
    return response


def json_response(records: list[dict], filename: str) -> HttpResponse:
    body = json.dumps({"count": len(records), "results": records}, cls=DjangoJSONEncoder, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
