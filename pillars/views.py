"""Public pages of the pillars app: the dashboard, pillars, programs, indicators, services and the map."""

import hashlib

from django.conf import settings
from django.db.models import Count, F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from smartcity.list_views import PublicListView
from smartcity.ranges import ranged_file_response

from . import charts, figures, resources, selectors
from .basemap import map_background
from .choices import AssetKind, AssetStatus, LinkRole, ServiceStatus, Stage
from .feedback_views import subject_feedback
from .geojson import GRID_PIXELS, boundary_collection
from .models import (
    BaseMap,
    Boundary,
    BudgetLine,
    DigitalService,
    Indicator,
    InfrastructureAsset,
    Milestone,
    Pillar,
    Program,
    ProgramIndicator,
)
from .public_filters import (
    DigitalServicePublicFilterSet,
    IndicatorPublicFilterSet,
    InfrastructureAssetPublicFilterSet,
    ProgramPublicFilterSet,
)
from .selectors import standing_point

PAGE_SIZE = 20
PILLAR_PAGE_INDICATORS, PILLAR_PAGE_SERVICES = 6, 12
PROGRAM_PAGE_FEEDBACK = 5  # the newest published feedback; its own page lists them all


def home(request):
    """The public dashboard: one sentence of how the city is doing (programs late of those under way, indicators on
    target, the latest evaluation's index and its change), the city-wide achievement and its standing, the
    indicators by standing, headline counts, the latest evaluation by pillar with the index over the years
    (composed in the template by the `evaluations` tag library, so pillars imports no evaluations code), and the six
    pillars."""
    counts = figures.published_counts()
    headline, headline_series, standings = selectors.home_indicators()
    pillars = list(Pillar.objects.with_related())
    for pillar in pillars:
        pillar.program_count = counts.count("program", pillar=pillar.pk)
    context = {
        "pillars": pillars,
        "headline": headline,
        "headline_series": headline_series,
        "counts": {
            "programs": counts.count("program"),
            "completed": counts.count("program", state=Stage.COMPLETED),
            "services": counts.count("service", state=ServiceStatus.LIVE),
            "assets": counts.count("asset", state=AssetStatus.ACTIVE),
        },
        "last_updated": counts.last_updated("program", "indicator"),
    }
    context["standings"] = standings
    context["standing_total"] = sum(standings.values())
    context["schedule"] = selectors.program_schedule_counts(timezone.localdate())
    if headline:
        context["headline_chart"] = charts.target_vs_actual(headline_series, unit=headline.unit)
        context["headline_standing"] = selectors.standing_point(headline_series)
    return render(request, "pillars/pillar_list.html", context)


def pillar_detail(request, slug: str):
    """One pillar's page: its programs, its indicators' targets against actuals, its services and assets."""
    pillar = get_object_or_404(Pillar.objects.with_related(), slug=slug)
    programs = Program.objects.published().filter(pillar=pillar)
    # A pillar page shows a bounded sample, most recently measured first; the lists link to all of them.
    indicators = list(
        Indicator.objects.published()
        .with_related()
        .filter(pillar=pillar)
        .order_by(F("latest_measured_on").desc(nulls_last=True), "name_ind")[:PILLAR_PAGE_INDICATORS]
    )
    series = selectors.indicator_series(indicators)
    counts = figures.published_counts()
    context = {
        "pillar": pillar,
        "pillars": Pillar.objects.all(),
        # each with its public outcome indicators: the pillar's figures read with the programs meant to move them
        "programs": programs.with_related().with_indicator_links(role=LinkRole.OUTCOME, to_attr="outcome_links")[:12],
        "program_count": counts.count("program", pillar=pillar.pk),
        "indicators": [
            (
                i,
                series[i.pk],
                charts.target_vs_actual(series[i.pk], pillar.colour, i.unit),
                standing_point(series[i.pk]),
            )
            for i in indicators
        ],
        "indicator_count": counts.count("indicator", pillar=pillar.pk),
        "services": DigitalService.objects.published().with_related().filter(pillar=pillar)[:PILLAR_PAGE_SERVICES],
        "service_count": counts.count("service", pillar=pillar.pk),
        "assets_by_kind": InfrastructureAsset.objects.published()
        .filter(program__pillar=pillar)
        .values("kind")
        .annotate(count=Count("pk"))
        .order_by("kind"),
        "kind_labels": dict(AssetKind.choices),
        "last_updated": counts.last_updated("program", "indicator", pillar=pillar.pk),
    }
    return render(request, "pillars/pillar_detail.html", context)


COLOURS_MAX_AGE = 3600  # a colour edited in the admin reaches every reader within the hour


def pillar_colours_css(request):
    """Each pillar's colour as a CSS class, so colours stay editable data without inline styles. Every page asks
    for it: browsers keep it an hour, and revalidate it by its ETag after that."""
    colours = Pillar.objects.values_list("slug", "colour")
    rules = "".join(f".pillar-{slug}{{--pillar-colour:{colour}}}\n" for slug, colour in colours)
    response = HttpResponse(rules, content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=COLOURS_MAX_AGE)
    response["ETag"] = quote_etag(hashlib.sha256(rules.encode()).hexdigest()[:32])
    return response


class ProgramList(PublicListView):
    """All published programs, filtered and searched, with CSV and JSON downloads."""

    template_name = "pillars/program_list.html"
    filterset_class = ProgramPublicFilterSet
    export = resources.ProgramResource
    download_name = "programs"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        today = timezone.localdate()
        return Program.objects.published().with_related().with_indicator_links().with_schedule(today)

    def shown(self, rows):
        # The cards show no to-many relation: the download's prefetches were a fifth of the page's time (issue 27).
        return rows.prefetch_related(None)

    def extra_context(self, context, queryset):
        return {"last_updated": selectors.last_updated(queryset)}


program_list = ProgramList.as_view()


def program_detail(request, slug: str):
    """A program's page: milestone timeline, budget by year and source, its assets."""
    program = get_object_or_404(Program.objects.published().with_related(), slug=slug)
    budget = selectors.budget_totals(Program.objects.filter(pk=program.pk))
    context = {
        "program": program,
        "milestones": Milestone.objects.filter(program=program).order_by("due_on"),
        "budget_lines": BudgetLine.objects.filter(program=program).order_by("year", "source"),
        "budget_chart": charts.budget_by_year(budget) if budget else None,
        "assets": InfrastructureAsset.objects.published().filter(program=program),
        "indicator_links": program_indicator_rows(program),
        "last_updated": program.updated_at,
        **subject_feedback(program, limit=PROGRAM_PAGE_FEEDBACK),
    }
    return render(request, "pillars/program_detail.html", context)


def program_indicator_rows(program) -> list[tuple]:
    """The program's public indicator links, each with its indicator's standing (pillars.achievement) and latest
    value: (link, standing point or None), outcomes first."""
    links = list(ProgramIndicator.objects.public().filter(program=program).for_pages().order_by("role", "pk"))
    series = selectors.indicator_series([link.indicator for link in links])
    return [(link, standing_point(series[link.indicator_id])) for link in links]


class IndicatorList(PublicListView):
    """All published indicators, filtered and searched, each with its standing, with CSV and JSON downloads."""

    template_name = "pillars/indicator_list.html"
    filterset_class = IndicatorPublicFilterSet
    export = resources.IndicatorResource
    download_name = "indicators"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Indicator.objects.published().with_related()

    def extra_context(self, context, queryset):
        indicators = list(context["page"].object_list)
        series = selectors.indicator_series(indicators)
        return {
            "rows": [(indicator, standing_point(series[indicator.pk])) for indicator in indicators],
            "last_updated": selectors.last_updated(queryset),
        }


indicator_list = IndicatorList.as_view()


def indicator_metadata(indicator) -> list[tuple[str, str]]:
    """The indicator's MS-Ind texts that are filled in, with their labels in the page's language (the composite
    mark, its building blocks and the access classification are shown on their own)."""
    fields = [indicator._meta.get_field(name) for name in Indicator.MS_IND_FIELDS]
    texts = [f for f in fields if not f.many_to_many and not f.choices and f.get_internal_type() != "BooleanField"]
    return [(str(f.verbose_name).capitalize(), value) for f in texts if (value := getattr(indicator, f.name))]


def indicator_detail(request, slug: str):
    """An indicator's page: target against actual per year, as a chart and a table, and its measurements."""
    indicator = get_object_or_404(Indicator.objects.published().with_related(), slug=slug)
    series = selectors.indicator_series([indicator])[indicator.pk]
    colour = indicator.pillar.colour if indicator.pillar else charts.ACTUAL_COLOUR
    context = {
        "indicator": indicator,
        "metadata": indicator_metadata(indicator),
        "building_blocks": Indicator.objects.published().filter(composites=indicator) if indicator.is_composite else [],
        "series": series,
        "standing": standing_point(series),
        "chart": charts.target_vs_actual(series, colour, indicator.unit),
        "measurements": indicator.measurements.order_by("-measured_on")[:24],
        "program_links": ProgramIndicator.objects.public()
        .filter(indicator=indicator)
        .select_related("program__pillar", "program__lead_agency")
        .order_by("role", "program__title_ind", "pk"),
        "last_updated": indicator.latest_measured_on,
    }
    return render(request, "pillars/indicator_detail.html", context)


class ServiceList(PublicListView):
    """The catalog of digital services, with how many were launched each year."""

    template_name = "pillars/service_list.html"
    filterset_class = DigitalServicePublicFilterSet
    export = resources.DigitalServiceResource
    download_name = "services"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return DigitalService.objects.published().with_related()

    def extra_context(self, context, queryset):
        per_year = selectors.services_per_year(queryset)
        return {
            "per_year": per_year,
            "per_year_chart": charts.services_per_year(per_year),
            "last_updated": selectors.last_updated(queryset),
        }


service_list = ServiceList.as_view()


class AssetMap(PublicListView):
    """The infrastructure map, one layer per kind from the GeoJSON endpoint, with its legend and the list of what the
    view shows (drawn by static/js/map.js), and the same assets as a paged list. Staff notes on the outlines stay in
    the admin."""

    template_name = "pillars/asset_map.html"
    filterset_class = InfrastructureAssetPublicFilterSet
    export = resources.InfrastructureAssetResource
    download_name = "assets"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return InfrastructureAsset.objects.for_public()

    def extra_context(self, context, queryset):
        return {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "basemap": map_background(BaseMap.objects.current()),
            # The GeoJSON endpoint has no language prefix: the map names kinds and states in the page's language.
            "map_labels": {
                "kinds": {value: str(label) for value, label in AssetKind.choices},
                "statuses": {value: str(label) for value, label in AssetStatus.choices},
                # the list of what the view shows (static/js/map.js fills in the numbers)
                "in_view": {
                    "summary": _("Shown in this view: %(count)s."),
                    "none": _("Nothing in this view: zoom out or move the map."),
                    "group": _("%(kind)s: %(count)s nearby points, zoom in"),
                    "more": _("…and %(count)s more places: zoom in to list them."),
                },
            },
            "kinds": AssetKind.choices,
            "grid_pixels": GRID_PIXELS,
            "counts": dict(queryset.values_list("kind").annotate(count=Count("pk")).order_by()),
            "last_updated": selectors.last_updated(queryset),
        }


asset_map = AssetMap.as_view()


def map_boundaries(request):
    """The city boundary and district outlines as GeoJSON, which the map draws under the assets."""
    return JsonResponse(boundary_collection(Boundary.objects.all()), content_type="application/geo+json")


@require_safe
def basemap_file(request, version: str):
    """The base map's PMTiles file, read by the public maps a byte range at a time (206, or 416 for a range past its
    end; the whole file, 200, without a Range header). Its address names the stored file, so a browser keeps it for
    a year: a new file has a new address. Public, as the map it is drawn on; one query."""
    base_map = BaseMap.objects.current()
    if base_map is None or base_map.version != version:
        raise Http404
    storage, name = base_map.file.storage, base_map.file.name
    try:
        file = storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return ranged_file_response(
        request,
        file,
        size=storage.size(name),
        etag=quote_etag(f"{version}-{storage.size(name)}"),
        modified=storage.get_modified_time(name).timestamp(),
        content_type="application/vnd.pmtiles",
        cache="public, max-age=31536000, immutable",
    )
