"""Public pages of the partnerships app: partners, the MoU registry, one MoU, and the downloads."""

from django.shortcuts import get_object_or_404, render

from smartcity.pagination import Paginator

from . import exports
from .models import MoU, Partner
from .public_filters import MoUPublicFilterSet, PartnerPublicFilterSet

PAGE_SIZE = 25


def _public_partners():
    return Partner.objects.published().with_related()


def _registry(request) -> MoUPublicFilterSet:
    return MoUPublicFilterSet(request.GET or None, queryset=MoU.objects.published().with_related(), request=request)


def _partners(request) -> PartnerPublicFilterSet:
    return PartnerPublicFilterSet(request.GET or None, queryset=_public_partners(), request=request)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def partner_list(request):
    """Every published partner, searched and filtered by kind, with how many published MoUs it has with the city."""
    partners = _partners(request)
    context = {"filter": partners, "partners": partners.qs, "query": _query(request)}
    return render(request, "partnerships/partner_list.html", context)


def partner_detail(request, slug: str):
    """One partner's page: who they are and their published MoUs with the city."""
    partner = get_object_or_404(_public_partners(), slug=slug)
    mous = MoU.objects.published().of_partner(partner.pk).with_related()
    return render(request, "partnerships/partner_detail.html", {"partner": partner, "mous": mous})


def mou_list(request):
    """The MoU registry, searched and filtered by status, partner, partner kind, scope area and year signed."""
    registry = _registry(request)
    page = Paginator(registry.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": registry, "page": page, "mous": page.object_list, "query": _query(request)}
    return render(request, "partnerships/mou_list.html", context)


def mou_detail(request, slug: str):
    """One MoU: its parties, scope, linked programs and each commitment's progress."""
    mou = get_object_or_404(MoU.objects.published().with_commitments(), slug=slug)
    return render(request, "partnerships/mou_detail.html", {"mou": mou})


def mou_download(request, format: str):  # noqa: A002 - the URL's word for it
    records = (exports.mou_record(mou) for mou in _registry(request).qs)
    return exports.download(request, records, fmt=format, filename=f"mou.{format}")


def partner_download(request, format: str):  # noqa: A002
    records = (exports.partner_record(partner) for partner in _partners(request).qs)
    return exports.download(request, records, fmt=format, filename=f"partners.{format}")
