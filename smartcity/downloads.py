"""CSV and JSON downloads of a public list, through the same import-export resources staff use."""

from django.http import HttpResponse
from django.utils import timezone

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def wants_download(request) -> str | None:
    """The download format a list page was asked for (`?download=csv|json`), if any."""
    fmt = request.GET.get("download")
    return fmt if fmt in FORMATS else None


def download_response(resource_class, queryset, *, fmt: str, name: str) -> HttpResponse:
    dataset = resource_class().export(queryset=queryset)
    body = dataset.csv if fmt == "csv" else dataset.json
    response = HttpResponse(body, content_type=FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
