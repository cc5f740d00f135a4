"""Public pages of the partnerships app: partners, the MoU registry, one MoU, and the downloads."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import exports
from .filters import MoURegistryFilterSet
from .models import MoU, Partner

PAGE_SIZE = 25


def _public_partners():
    return Partner.objects.published().with_related()


def _registry(request) -> MoURegistryFilterSet:
    return MoURegistryFilterSet(request.GET or None, queryset=MoU.objects.published().with_related())


def partner_list(request):
    """Every published partner, with how many published MoUs it has with the city."""
    return render(request, "partnerships/partner_list.html", {"partners": _public_partners()})


def partner_detail(request, slug: str):
    """One partner's page: who they are and their published MoUs with the city."""
    partner = get_object_or_404(_public_partners(), slug=slug)
    mous = MoU.objects.published().of_partner(partner.pk).with_related()
    return render(request, "partnerships/partner_detail.html", {"partner": partner, "mous": mous})


def mou_list(request):
    """The MoU registry, filtered by status, scope area, partner kind and year signed."""
    registry = _registry(request)
    page = Paginator(registry.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/mou_list.html",
        {"filter": registry, "page": page, "mous": page.object_list, "query": query.urlencode()},
    )


def mou_detail(request, slug: str):
    """One MoU: its parties, scope, linked programs and each commitment's progress."""
    mou = get_object_or_404(MoU.objects.published().with_commitments(), slug=slug)
    return render(request, "partnerships/mou_detail.html", {"mou": mou})


def mou_download(request, format: str):  # noqa: A002 - the URL's word for it
    records = (exports.mou_record(mou) for mou in _registry(request).qs)
    return exports.download(request, records, fmt=format, filename=f"mou.{format}")


def partner_download(request, format: str):  # noqa: A002
    records = (exports.partner_record(partner) for partner in _public_partners())
    return exports.download(request, records, fmt=format, filename=f"partners.{format}")
