"""Public pages of the national frameworks (the city's published self-assessments) and the external indices."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from evaluations.services.scales import quantum
from smartcity.numbers import chart_format, formatted

from .models import ExternalIndex, Framework, SelfAssessment


@dataclass
class DomainResult:
    domain: object
    weight: Decimal
    level: Decimal | None  # the weighted mean of the levels that count
    rows: list  # (aspect, [(indicator, score or None)])


def _domain_results(framework, assessment) -> list[DomainResult]:
    scores = {score.indicator_id: score for score in assessment.scores.all()} if assessment else {}
    by_aspect: dict[int, list] = {}
    for indicator in framework.indicators.all():
        by_aspect.setdefault(indicator.aspect_id, []).append((indicator, scores.get(indicator.pk)))
    aspects_of: dict[int, list] = {}
    for aspect in framework.aspects.all():
        aspects_of.setdefault(aspect.domain_id, []).append((aspect, by_aspect.get(aspect.pk, [])))
    results = []
    for domain in framework.domains.all():
        rows = aspects_of.get(domain.pk, [])
        pairs = [(i.weight, s.level) for _a, items in rows for i, s in items if s is not None and s.level is not None]
        weight = sum((i.weight for _a, items in rows for i, _s in items), Decimal(0))
        level = None
        if pairs and weight and len(pairs) == sum(len(items) for _a, items in rows):
            level = (sum(w * lv for w, lv in pairs) / weight).quantize(quantum(framework.decimals), ROUND_HALF_UP)
        results.append(DomainResult(domain, weight, level, rows))
    return results


def framework_detail(request, slug: str):
    """A framework's published results: the year's index and band, per domain and indicator, and every year."""
    framework = get_object_or_404(Framework.objects.public().with_related(), slug=slug)
    assessments = list(SelfAssessment.objects.public().filter(framework=framework).with_index().order_by("-year"))
    year = request.GET.get("year")
    chosen = next((a for a in assessments if str(a.year) == year), None) if year else None
    if year and chosen is None:
        raise Http404
    chosen = chosen or (assessments[0] if assessments else None)
    if chosen is not None:
        chosen = SelfAssessment.objects.with_related().get(pk=chosen.pk)
    context = {
        "framework": framework,
        "assessments": assessments,
        "assessment": chosen,
        "domains": _domain_results(framework, chosen),
        "levels": range(framework.level_min, framework.level_max + 1),
    }
    return render(request, "frameworks/framework_detail.html", context)


def index_chart(index) -> dict | None:
    """The index's editions as a line over the years, on the index's own scale (a level rating's levels); None when
    fewer than two editions make a line."""
    editions = list(index.editions.all())
    if len(editions) < 2:
        return None
    points = [Decimal(e.level) if index.is_level_rating else e.value for e in editions]
    return {
        "type": "line",
        "labels": [edition.year for edition in editions],
        "format": chart_format("", decimals=index.decimals),
        "options": {"scales": {"y": {"min": float(index.scale_min), "max": float(index.scale_max)}}},
        "datasets": [
            {
                "label": _("Level") if index.is_level_rating else _("Score"),
                "data": [float(point) for point in points],
                "formatted": formatted(points, "", index.decimals),
                "borderColor": "#1d4ed8",
                "backgroundColor": "#1d4ed8",
            }
        ],
    }


def external_index_detail(request, slug: str):
    """An external index's editions: a chart and a table with the score or level, rank within the peer group, band
    where the publisher gives one, and source, each unverified figure marked; a national index as the country's
    value, never the city's."""
    index = get_object_or_404(ExternalIndex.objects.public().with_related(), slug=slug)
    return render(request, "frameworks/external_index_detail.html", {"index": index, "chart": index_chart(index)})


def framework_list(request):
    """The national frameworks and external indices the office reports against."""
    indices = list(ExternalIndex.objects.public().with_related().order_by("name_ind"))
    context = {
        "frameworks": Framework.objects.public().order_by("name_ind"),
        "indices": [(index, (list(index.editions.all()) or [None])[-1]) for index in indices],
    }
    return render(request, "frameworks/framework_list.html", context)
