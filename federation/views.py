"""The public comparison of the cities a provincial hub follows (on a hub only: settings.PROVINCIAL_HUB)."""

from django.conf import settings
from django.http import Http404

from smartcity.list_views import PublicListView

from .comparison import ComparisonExport, province_comparison


class CityComparison(PublicListView):
    """Cities × pillars in each city's latest final result, the index over the years and the latest headline
    achievement, read from each city's own portal; a portal that could not be read is marked stale with the reason.
    `?download=csv|json` gives the same figures as a file (one row per city and year)."""

    template_name = "federation/city_comparison.html"
    download_name = "cities"
    paginate_by = None
    context_object_name = "comparison"

    def get_queryset(self):
        if not settings.PROVINCIAL_HUB:
            raise Http404
        return province_comparison()

    def get_export(self, rows):
        return ComparisonExport(rows)


city_comparison = CityComparison.as_view()
