"""The public comparison of the cities a provincial hub follows (on a hub only: settings.PROVINCIAL_HUB)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from smartcity.downloads import download_response, wants_download

from .comparison import ComparisonExport, province_comparison


def city_comparison(request):
    """Cities × pillars in each city's latest final result, the index over the years and the latest headline
    achievement, read from each city's own portal; a portal that could not be read is marked stale with the reason.
    `?download=csv|json` gives the same figures as a file (one row per city and year)."""
    if not settings.PROVINCIAL_HUB:
        raise Http404
    comparison = province_comparison()
    fmt = wants_download(request)
    if fmt:
        return download_response(request, ComparisonExport(comparison), comparison, fmt=fmt, name="cities")
    return render(request, "federation/city_comparison.html", {"comparison": comparison})
