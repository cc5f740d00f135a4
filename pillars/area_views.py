"""Public pages of the city's areas: every kecamatan, one kecamatan (its programs, its assets on a small map, the
published feedback on its programs) and one kelurahan where assets stand. Only public rows, whoever reads."""

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .basemap import map_background
from .choices import AssetKind, AssetStatus
from .geojson import GRID_PIXELS
from .models import BaseMap, District, Feedback, InfrastructureAsset, Program, Village

AREA_PAGE_PROGRAMS = 12  # the rest through the program list filtered by the district


def public_counts() -> dict:
    """A district's counts of public programs serving it and public assets standing in it, as annotations."""
    programs = Program.objects.public().values("pk")
    assets = InfrastructureAsset.objects.public().values("pk")
    return {
        "program_count": Count("programs", filter=Q(programs__in=programs), distinct=True),
        "asset_count": Count("assets", filter=Q(assets__in=assets), distinct=True),
    }


def district_list(request):
    """Every kecamatan of the city with how many public programs serve it and public assets stand in it."""
    districts = District.objects.public().annotate(**public_counts()).order_by("name")
    return render(request, "pillars/district_list.html", {"districts": districts})


def map_context(assets, *, focus) -> dict:
    """What the small map of an area reads: its assets' counts by kind, the labels and the outline to frame."""
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "basemap": map_background(BaseMap.objects.current()),
        "map_labels": {"kinds": dict(AssetKind.choices), "statuses": dict(AssetStatus.choices)},
        "kinds": AssetKind.choices,
        "grid_pixels": GRID_PIXELS,
        "counts": dict(assets.values_list("kind").annotate(count=Count("pk")).order_by()),
        "focus": focus,
    }


def district_detail(request, code: str):
    """One kecamatan: the public programs that serve it, its public assets on a small map, its kelurahan with
    assets, and the published feedback on its programs."""
    district = get_object_or_404(District.objects.public(), code=code)
    programs = Program.objects.public().filter(districts=district)
    assets = InfrastructureAsset.objects.public().filter(district=district)
    feedback = Feedback.objects.public().filter(program__in=programs.values("pk"))
    assets_in = Q(assets__in=assets.values("pk"))
    context = {
        "district": district,
        "programs": programs.with_related()[:AREA_PAGE_PROGRAMS],
        "program_count": programs.count(),
        "villages": Village.objects.filter(district=district)
        .annotate(asset_count=Count("assets", filter=assets_in))
        .filter(asset_count__gt=0)
        .order_by("name"),
        "feedback": feedback.aggregate(total=Count("pk"), replied=Count("pk", filter=~Q(reply=""))),
        **map_context(assets, focus=district),
    }
    return render(request, "pillars/district_detail.html", context)


def district_moved(request, dashed: str):
    """`/kecamatan/13-71-09-kuranji/` (the code with dashes, maybe the name after it): a permanent redirect to
    the page by code."""
    district = District.objects.public().filter(code=dashed.replace("-", ".")).first()
    if district is None:
        raise Http404
    return redirect("pillars:district-detail", code=district.code, permanent=True)


def village_detail(request, code: str):
    """One kelurahan with public assets: the assets on a small map and the public programs they belong to."""
    village = get_object_or_404(Village.objects.public().select_related("district"), code=code)
    assets = InfrastructureAsset.objects.public().filter(village=village)
    if not assets.exists():
        raise Http404  # a kelurahan has a page where there is something public to show
    programs = Program.objects.public().filter(pk__in=assets.values("program"))
    context = {
        "village": village,
        "district": village.district,
        "programs": programs.with_related()[:AREA_PAGE_PROGRAMS],
        "program_count": programs.count(),
        **map_context(assets, focus=village.district),
    }
    return render(request, "pillars/village_detail.html", context)
