"""Public pages of the pillars app: the dashboard, pillars, programs, indicators, services and the map."""

import hashlib

from django.conf import settings
from django.db.models import Count, F
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext as _

from smartcity.downloads import public_list
from smartcity.pagination import Paginator

from . import charts, figures, resources, selectors
from .choices import AssetKind, AssetStatus, LinkRole, ServiceStatus, Stage
from .feedback_views import subject_feedback
from .geojson import GRID_PIXELS, boundary_collection
from .models import (
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


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _public_list(request, *, filterset_class, queryset, resource_class, name, shown=None):
    """A filtered public list: the FilterSet, its page of rows (read through `shown`, when the page needs less
    than the download), or the whole filtered list as a download (smartcity.downloads.public_list, the one
    download path)."""
    filterset, rows, download = public_list(
        request, filterset_class=filterset_class, queryset=queryset, export=resource_class, name=name
    )
    if download:
        return None, download
    return {"filter": filterset, "page": _page(request, shown(rows) if shown else rows)}, None


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


def program_list(request):
    """All published programs, filtered and searched, with CSV and JSON downloads."""
    queryset = Program.objects.published().with_related().with_indicator_links().with_schedule(timezone.localdate())
    context, download = _public_list(
        request,
        filterset_class=ProgramPublicFilterSet,
        queryset=queryset,
        resource_class=resources.ProgramResource,
        name="programs",
        # The cards show no to-many relation: the download's prefetches were a fifth of the page's time (issue 27).
        shown=lambda rows: rows.prefetch_related(None),
    )
    if download:
        return download
    context["last_updated"] = selectors.last_updated(queryset)
    return render(request, "pillars/program_list.html", context)


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


def indicator_list(request):
    queryset = Indicator.objects.published().with_related()
    context, download = _public_list(
        request,
        filterset_class=IndicatorPublicFilterSet,
        queryset=queryset,
        resource_class=resources.IndicatorResource,
        name="indicators",
    )
    if download:
        return download
    indicators = list(context["page"].object_list)
    series = selectors.indicator_series(indicators)
    context["rows"] = [(indicator, standing_point(series[indicator.pk])) for indicator in indicators]
    context["last_updated"] = selectors.last_updated(queryset)
    return render(request, "pillars/indicator_list.html", context)


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


def service_list(request):
    """The catalog of digital services, with how many were launched each year."""
    queryset = DigitalService.objects.published().with_related()
    context, download = _public_list(
        request,
        filterset_class=DigitalServicePublicFilterSet,
        queryset=queryset,
        resource_class=resources.DigitalServiceResource,
        name="services",
    )
    if download:
        return download
    per_year = selectors.services_per_year(queryset)
    context |= {
        "per_year": per_year,
        "per_year_chart": charts.services_per_year(per_year),
        "last_updated": selectors.last_updated(queryset),
    }
    return render(request, "pillars/service_list.html", context)


def asset_map(request):
    """The infrastructure map, one layer per kind from the GeoJSON endpoint, with its legend and the list of what the
    view shows (drawn by static/js/map.js), and the same assets as a paged list. Staff notes on the outlines stay in
    the admin."""
    queryset = InfrastructureAsset.objects.for_public()
    context, download = _public_list(
        request,
        filterset_class=InfrastructureAssetPublicFilterSet,
        queryset=queryset,
        resource_class=resources.InfrastructureAssetResource,
        name="assets",
    )
    if download:
        return download
    context |= {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
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
    return render(request, "pillars/asset_map.html", context)


def map_boundaries(request):
    """The city boundary and district outlines as GeoJSON, which the map draws under the assets."""
    return JsonResponse(boundary_collection(Boundary.objects.all()), content_type="application/geo+json")
