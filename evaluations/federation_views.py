"""The public comparison of the cities a provincial hub follows (on a hub only: settings.PROVINCIAL_HUB)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from smartcity.downloads import json_chunks, refused, stamped, streamed, wants_download
from smartcity.spreadsheets import csv_lines

from .comparison import comparison_records, comparison_rows, province_comparison


def city_comparison(request):
    """Cities × pillars in each city's latest final result, the index over the years and the latest headline
    achievement, read from each city's own portal; a portal that could not be read is marked stale with the reason.
    `?download=csv|json` gives the same figures as a file."""
    if not settings.PROVINCIAL_HUB:
        raise Http404
    comparison = province_comparison()
    fmt = wants_download(request)
    if fmt:
        refusal = refused(request)
        if refusal:
            return refusal
        if fmt == "csv":
            headers, rows = comparison_rows(comparison)
            return streamed(csv_lines(headers, rows), fmt=fmt, filename=stamped("cities", fmt))
        return streamed(json_chunks(comparison_records(comparison)), fmt=fmt, filename=stamped("cities", fmt))
    return render(request, "evaluations/city_comparison.html", {"comparison": comparison})
